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
        byte[] images = IdxFixtures.gzip(IdxFixtures.imagesBytes(IdxFile.IMAGES_MAGIC, 1, 2, 2, new byte[4]));
        byte[] labels = IdxFixtures.gzip(IdxFixtures.labelsBytes(IdxFile.LABELS_MAGIC, 1, new byte[]{3}));
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
        byte[] good = IdxFixtures.gzip(IdxFixtures.labelsBytes(IdxFile.LABELS_MAGIC, 2, new byte[]{1, 2}));
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
}
