package io.mnistspark.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetFetcherTest {
    @TempDir
    java.nio.file.Path dir;

    private static String hex(String algorithm, byte[] content) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    }

    private static DatasetFetcher.ExpectedFile expected(String name, byte[] content) throws NoSuchAlgorithmException {
        return new DatasetFetcher.ExpectedFile(name, content.length, hex("MD5", content), hex("SHA-256", content));
    }

    @Test
    void downloadsVerifiesAndSkipsWhatIsThere() throws Exception {
        byte[] images = IdxFixtures.gzip(IdxFixtures.imagesBytes(IdxHeader.IMAGES_MAGIC, 1, 2, 2, new byte[4]));
        byte[] labels = IdxFixtures.gzip(IdxFixtures.labelsBytes(IdxHeader.LABELS_MAGIC, 1, new byte[]{3}));
        List<String> log = new ArrayList<>();
        try (LoopbackServer server = new LoopbackServer().serve("a.gz", images).serve("b.gz", labels)) {
            DatasetFetcher fetcher = new DatasetFetcher(List.of(server.base()), log::add);
            List<DatasetFetcher.ExpectedFile> files = List.of(expected("a.gz", images), expected("b.gz", labels));
            fetcher.fetch(new Path(dir.toUri()), files, new Configuration());
            assertArrayEquals(images, Files.readAllBytes(dir.resolve("a.gz")));
            assertArrayEquals(labels, Files.readAllBytes(dir.resolve("b.gz")));

            fetcher.fetch(new Path(dir.toUri()), files, new Configuration());
            assertEquals(1, server.requests("a.gz"), "a verified file is not downloaded again");
            assertTrue(log.get(log.size() - 1).contains("already present, checksums verified"));
        }
    }

    @Test
    void rejectsACorruptedDownloadAndFallsBackToTheNextMirror() throws Exception {
        byte[] good = IdxFixtures.gzip(IdxFixtures.labelsBytes(IdxHeader.LABELS_MAGIC, 2, new byte[]{1, 2}));
        byte[] corrupted = good.clone();
        corrupted[corrupted.length / 2] ^= 0x55;
        List<String> log = new ArrayList<>();
        try (LoopbackServer bad = new LoopbackServer().serve("l.gz", corrupted);
             LoopbackServer fine = new LoopbackServer().serve("l.gz", good)) {
            DatasetFetcher fetcher = new DatasetFetcher(List.of(bad.base(), fine.base()), log::add);
            fetcher.fetch(new Path(dir.toUri()), List.of(expected("l.gz", good)), new Configuration());
            assertArrayEquals(good, Files.readAllBytes(dir.resolve("l.gz")));
            assertTrue(log.get(0).contains("rejected from " + bad.base() + "l.gz: checksum mismatch"), log.toString());
        }
    }

    @Test
    void failsWhenNoMirrorHasAGoodCopyAndKeepsNothing() throws Exception {
        byte[] good = "the real file".getBytes();
        try (LoopbackServer bad = new LoopbackServer().serve("x.gz", "tampered".getBytes());
             LoopbackServer empty = new LoopbackServer()) {
            DatasetFetcher fetcher = new DatasetFetcher(List.of(bad.base(), empty.base()), line -> { });
            DatasetFetcher.FetchFailedException e = assertThrows(DatasetFetcher.FetchFailedException.class,
                    () -> fetcher.fetch(new Path(dir.toUri()), List.of(expected("x.gz", good)), new Configuration()));
            assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains("HTTP 404"), e.getMessage());
        }
        try (var files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent(), "neither the file nor a partial download is left");
        }
        DatasetFetcher refused = new DatasetFetcher(List.of(java.net.URI.create("http://127.0.0.1:1/")), line -> { });
        String message = assertThrows(DatasetFetcher.FetchFailedException.class, () -> refused.fetch(
                new Path(dir.resolve("new").toUri()), List.of(expected("x.gz", good)), new Configuration())).getMessage();
        assertTrue(message.contains("http://127.0.0.1:1/x.gz: ConnectException"), message);
        assertFalse(Files.exists(dir.resolve("new")), "a destination the fetch created is removed when it fails");
    }

    private static final DatasetFetcher.Timeouts FAST = new DatasetFetcher.Timeouts(java.time.Duration.ofSeconds(5),
            java.time.Duration.ofMillis(700), java.time.Duration.ofSeconds(3));

    /** A mirror that never stops sending is cut off just past the size the checksum table gives; the next one is used. */
    @Test
    void anEndlessMirrorIsCutOffAtTheExpectedSizeAndTheNextMirrorDelivers() throws Exception {
        byte[] good = IdxFixtures.gzip(IdxFixtures.labelsBytes(IdxHeader.LABELS_MAGIC, 3, new byte[]{1, 2, 3}));
        List<String> log = new ArrayList<>();
        try (LoopbackServer endless = new LoopbackServer().serveEndless("l.gz", 1L << 30);
             LoopbackServer fine = new LoopbackServer().serve("l.gz", good)) {
            long start = System.nanoTime();
            new DatasetFetcher(List.of(endless.base(), fine.base()), log::add, FAST)
                    .fetch(new Path(dir.toUri()), List.of(expected("l.gz", good)), new Configuration());
            assertTrue(System.nanoTime() - start < 3e9, "stopped at once, not after a gigabyte");
            assertArrayEquals(good, Files.readAllBytes(dir.resolve("l.gz")));
            assertTrue(log.get(0).contains("failed from " + endless.base() + "l.gz: sent more than the " + good.length
                    + " bytes the file has; stopped reading"), log.toString());
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of("l.gz"), files.map(p -> p.getFileName().toString()).toList(), "no partial file left");
        }
    }

    /** A mirror that stops sending fails the idle-read timeout; one that trickles fails the deadline for the file. */
    @Test
    void stalledAndTricklingMirrorsTimeOutAndLeaveNothing() throws Exception {
        byte[] good = "the real file, some bytes long".getBytes();
        try (LoopbackServer stalled = new LoopbackServer().serveTrickle("x.gz", 5_000, 2);
             LoopbackServer trickling = new LoopbackServer().serveTrickle("x.gz", 100, 10_000)) {
            DatasetFetcher fetcher = new DatasetFetcher(List.of(stalled.base(), trickling.base()), line -> { }, FAST);
            long start = System.nanoTime();
            String message = assertThrows(DatasetFetcher.FetchFailedException.class, () -> fetcher.fetch(
                    new Path(dir.resolve("new").toUri()), List.of(new DatasetFetcher.ExpectedFile("x.gz", 1 << 20,
                            hex("MD5", good), hex("SHA-256", good))), new Configuration())).getMessage();
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(message.contains(stalled.base() + "x.gz: no byte for 0.7 s (idle-read timeout)"), message);
            assertTrue(message.matches(".*" + trickling.base() + "x.gz: not complete within 3 s \\(the deadline for a file; "
                    + "\\d+ bytes received\\).*"), message);
            assertTrue(seconds < 8, "both given up within their limits: " + seconds + " s");
        }
        assertFalse(Files.exists(dir.resolve("new")), "no partial file, no directory");
    }
}
