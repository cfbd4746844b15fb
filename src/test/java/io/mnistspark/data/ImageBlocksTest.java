package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import io.mnistspark.TestSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executors read the IDX files: byte ranges of a raw file in parallel tasks; a gzip file inflated once per
 * executor, or (larger) streamed by one task and shuffled; labels counted while the blocks are cached.
 */
class ImageBlocksTest {
    private static final Configuration HADOOP = new Configuration();
    private static final LabeledImages IMAGES = IdxFixtures.learnable(3500, 6, 6, 21);

    @TempDir
    java.nio.file.Path dir;

    private IdxPair pair(boolean gzip) throws IOException {
        java.nio.file.Path data = gzip ? IdxFixtures.writeDataset(dir.resolve("gz"), IMAGES, IMAGES)
                : IdxFixtures.writeRawDataset(dir.resolve("raw"), IMAGES, IMAGES);
        String suffix = gzip ? ".gz" : "";
        return IdxPair.read(new Path(data.resolve("train-images-idx3-ubyte" + suffix).toUri()),
                new Path(data.resolve("train-labels-idx1-ubyte" + suffix).toUri()), HADOOP);
    }

    private static LabeledImages collected(ImageBlocks blocks) {
        return LabeledImages.concat(blocks.rdd().collect());
    }

    @Test
    void rawFileReadInByteRangesByManyTasksEqualsASequentialRead() throws IOException {
        JavaSparkContext sc = TestSpark.context();
        IdxPair raw = pair(false);
        try (ImageBlocks blocks = ImageBlocks.readIdx(sc, raw, new long[]{0}, new long[]{raw.count()}).get(0)) {
            assertTrue(blocks.reread(), "a raw file is read again, not cached");
            assertEquals(4, blocks.rdd().getNumPartitions(), "3500 images: 4 blocks, one task each");
            assertArrayEquals(new int[]{1000, 1000, 1000, 500}, blocks.blockCounts());
            LabeledImages read = collected(blocks);
            LabeledImages sequential = LocalImages.read(raw, HADOOP);
            assertArrayEquals(sequential.pixelBytes(), read.pixelBytes());
            assertArrayEquals(sequential.labelBytes(), read.labelBytes());
            assertArrayEquals(IMAGES.pixelBytes(), read.pixelBytes());
            assertArrayEquals(IMAGES.labelBytes(), read.labelBytes());
        }
    }

    /** Runs {@code body} with gzip pairs inflated by each executor ({@code inflated}) or streamed and shuffled. */
    private static void withGzipPath(boolean inflated, IoBody body) throws IOException {
        long before = InflatedPairs.maxBytes;
        InflatedPairs.maxBytes = inflated ? before : 0;
        try {
            body.run();
        } finally {
            InflatedPairs.maxBytes = before;
        }
    }

    private interface IoBody {
        void run() throws IOException;
    }

    @ParameterizedTest(name = "inflated by each executor: {0}")
    @ValueSource(booleans = {true, false})
    void gzipFileEqualsTheRawFileInBothSegmentsInflatedOrStreamed(boolean inflated) throws IOException {
        withGzipPath(inflated, () -> gzipFileEqualsTheRawFileInBothSegments(inflated));
    }

    private void gzipFileEqualsTheRawFileInBothSegments(boolean inflated) throws IOException {
        JavaSparkContext sc = TestSpark.context();
        IdxPair gz = pair(true);
        IdxPair raw = pair(false);
        assertEquals(inflated, InflatedPairs.fits(gz));
        List<ImageBlocks> gzipSets = ImageBlocks.readIdx(sc, gz, new long[]{0, 2900}, new long[]{2900, 3500});
        List<ImageBlocks> rawSets = ImageBlocks.readIdx(sc, raw, new long[]{0, 2900}, new long[]{2900, 3500});
        try {
            assertFalse(gzipSets.get(0).reread(), "gzip blocks are cached on the executors");
            assertArrayEquals(new int[]{1000, 1000, 900}, gzipSets.get(0).blockCounts());
            assertArrayEquals(new int[]{600}, gzipSets.get(1).blockCounts());
            for (int s = 0; s < 2; s++) {
                assertArrayEquals(collected(rawSets.get(s)).pixelBytes(), collected(gzipSets.get(s)).pixelBytes());
                assertArrayEquals(collected(rawSets.get(s)).labelBytes(), collected(gzipSets.get(s)).labelBytes());
            }
            assertArrayEquals(IMAGES.slice(2900, 3500).pixelBytes(), collected(gzipSets.get(1)).pixelBytes());
            long[] counts = gzipSets.get(0).labelCounts(sc, 0, "");
            long[] held = gzipSets.get(1).labelCounts(sc, 0, "");
            for (int label = 0; label < 256; label++) {
                long expected = 0;
                long expectedHeld = 0;
                for (int i = 0; i < IMAGES.count(); i++) {
                    if ((IMAGES.labelBytes()[i] & 0xFF) == label) {
                        if (i < 2900) {
                            expected++;
                        } else {
                            expectedHeld++;
                        }
                    }
                }
                assertEquals(expected, counts[label], "label " + label + ", first segment");
                assertEquals(expectedHeld, held[label], "label " + label + ", second segment");
            }
            assertFalse(InflatedPairs.holds(InflatedPairs.key(gz, HADOOP)), "an inflated pair is dropped once all its blocks are copied");
        } finally {
            gzipSets.forEach(ImageBlocks::close);
        }
    }

    @ParameterizedTest(name = "inflated by each executor: {0}")
    @ValueSource(booleans = {true, false})
    void badLabelsInAGzipPairAreCountedWhileCachingAndTheFirstIsNamed(boolean inflated) throws IOException {
        withGzipPath(inflated, () -> {
            JavaSparkContext sc = TestSpark.context();
            byte[] labels = IMAGES.labelBytes().clone();
            labels[3300] = 11;
            labels[3017] = 10;
            labels[1200] = 12; // in the first segment: not this set's
            java.nio.file.Path data = IdxFixtures.writeDataset(dir.resolve("badgz"), IMAGES, IMAGES);
            Files.write(data.resolve("train-labels-idx1-ubyte.gz"),
                    IdxFixtures.gzip(IdxFixtures.labelsBytes(IdxHeader.LABELS_MAGIC, 3500, labels)));
            IdxPair pair = IdxPair.read(new Path(data.resolve("train-images-idx3-ubyte.gz").toUri()),
                    new Path(data.resolve("train-labels-idx1-ubyte.gz").toUri()), HADOOP);
            List<ImageBlocks> sets = ImageBlocks.readIdx(sc, pair, new long[]{0, 3000}, new long[]{3000, 3500});
            try {
                InvalidInputException bad = assertThrows(InvalidInputException.class,
                        () -> sets.get(1).labelCounts(sc, 10, "network.classes = 10"));
                assertTrue(bad.getMessage().endsWith("train-labels-idx1-ubyte.gz: label 10 at index 3017 is outside 0-9"
                        + " (network.classes = 10)"), bad.getMessage());
                bad = assertThrows(InvalidInputException.class, () -> sets.get(0).labelCounts(sc, 10, "network.classes = 10"));
                assertTrue(bad.getMessage().endsWith(": label 12 at index 1200 is outside 0-9 (network.classes = 10)"),
                        bad.getMessage());
                assertEquals(1, sets.get(1).labelCounts(sc, 12, "")[11], "within 12 classes label 11 counts");
            } finally {
                sets.forEach(ImageBlocks::close);
            }
        });
    }

    @ParameterizedTest(name = "inflated by each executor: {0}")
    @ValueSource(booleans = {true, false})
    void aGzipFileThatEndsEarlyOrGoesOnFailsWhenItsLabelsAreNeeded(boolean inflated) throws IOException {
        withGzipPath(inflated, () -> {
            JavaSparkContext sc = TestSpark.context();
            java.nio.file.Path data = IdxFixtures.writeDataset(dir.resolve("short"), IMAGES, IMAGES);
            java.nio.file.Path images = data.resolve("train-images-idx3-ubyte.gz");
            IdxPair pair = IdxPair.read(new Path(images.toUri()),
                    new Path(data.resolve("train-labels-idx1-ubyte.gz").toUri()), HADOOP);
            // the files change after the driver read the headers
            Files.write(images, IdxFixtures.gzip(IdxFixtures.imagesBytes(IdxHeader.IMAGES_MAGIC, 3500, 6, 6,
                    java.util.Arrays.copyOf(IMAGES.pixelBytes(), 3400 * 36))));
            ImageBlocks blocks = ImageBlocks.readIdx(sc, pair, new long[]{0}, new long[]{3500}).get(0);
            try (blocks) {
                InvalidInputException cause = userCause(assertThrows(Exception.class, () -> blocks.labelCounts(sc, 10, "")));
                assertNotNull(cause);
                assertTrue(cause.getMessage().endsWith("train-images-idx3-ubyte.gz: truncated: the header declares 3500"
                        + " images of 6x6 (126000 bytes) but only 122400 bytes follow"), cause.getMessage());
            }
            Files.write(images, IdxFixtures.gzip(IdxFixtures.imagesBytes(IdxHeader.IMAGES_MAGIC, 3500, 6, 6,
                    java.util.Arrays.copyOf(IMAGES.pixelBytes(), 3500 * 36 + 5))));
            ImageBlocks longer = ImageBlocks.readIdx(sc, pair, new long[]{0}, new long[]{3500}).get(0);
            try (longer) {
                InvalidInputException cause = userCause(assertThrows(Exception.class, longer::awaitCached));
                assertNotNull(cause);
                assertTrue(cause.getMessage().endsWith("train-images-idx3-ubyte.gz: 5 bytes of data after the 3500 images"
                        + " of 6x6 the header declares"), cause.getMessage());
            }
            assertFalse(InflatedPairs.holds(InflatedPairs.key(pair, HADOOP)), "a pair that failed is not kept");
        });
    }

    @Test
    void aBadLabelDeepInsideTheFileIsFoundByATaskAndNamed() throws IOException {
        JavaSparkContext sc = TestSpark.context();
        byte[] labels = IMAGES.labelBytes().clone();
        labels[3017] = 10;
        java.nio.file.Path data = IdxFixtures.writeRawDataset(dir.resolve("bad"), IMAGES, IMAGES);
        Files.write(data.resolve("train-labels-idx1-ubyte"), IdxFixtures.labelsBytes(IdxHeader.LABELS_MAGIC, 3500, labels));
        IdxPair pair = IdxPair.read(new Path(data.resolve("train-images-idx3-ubyte").toUri()),
                new Path(data.resolve("train-labels-idx1-ubyte").toUri()), HADOOP);
        ImageBlocks blocks = ImageBlocks.readIdx(sc, pair, new long[]{0}, new long[]{3500}).get(0);
        Exception failure = assertThrows(Exception.class, () -> blocks.labelCounts(sc, 10, "network.classes = 10"));
        InvalidInputException cause = userCause(failure);
        assertNotNull(cause, "the task's one-line error reaches the driver: " + failure);
        assertTrue(cause.getMessage().endsWith("train-labels-idx1-ubyte: label 10 at index 3017 is outside 0-9 (network.classes = 10)"),
                cause.getMessage());
        long[] histogram = blocks.labelCounts(sc, 0, "");
        assertEquals(1, histogram[10], "without a class limit label 10 is one more class");
    }

    @Test
    void pathsAreQualifiedForTheExecutorsAndAFileTheyCannotSeeIsNamedWithWhatToDo() throws IOException {
        JavaSparkContext sc = TestSpark.context();
        java.nio.file.Path data = IdxFixtures.writeRawDataset(dir.resolve("gone"), IMAGES, IMAGES);
        IdxPair pair = IdxPair.read(new Path(data.resolve("train-images-idx3-ubyte").toString()),
                new Path(data.resolve("train-labels-idx1-ubyte").toString()), HADOOP);
        assertTrue(pair.images().path().startsWith("file:/"), "qualified: " + pair.images().path());
        // the driver has read the headers; the executors then do not find the files (as on a cluster where
        // --data is a path local to the driver's machine)
        Files.delete(data.resolve("train-labels-idx1-ubyte"));
        ImageBlocks blocks = ImageBlocks.readIdx(sc, pair, new long[]{0}, new long[]{3500}).get(0);
        Exception failure = assertThrows(Exception.class, () -> blocks.labelCounts(sc, 0, ""));
        InvalidInputException cause = userCause(failure);
        assertNotNull(cause, failure.toString());
        assertTrue(cause.getMessage().contains("train-labels-idx1-ubyte: not found on the executor on ")
                && cause.getMessage().endsWith("every executor must reach the data; mount it at the same path on every"
                + " node, or put it on HDFS or S3"), cause.getMessage());
    }

    private static InvalidInputException userCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InvalidInputException e) {
                return e;
            }
        }
        return null;
    }
}
