package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import io.mnistspark.TestSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
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

/** Executors read the IDX files: byte ranges of a raw file in parallel tasks, a gzip file streamed by one task. */
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

    @Test
    void gzipFileStreamedByOneTaskAndSpreadEqualsTheRawFileInBothSegments() throws IOException {
        JavaSparkContext sc = TestSpark.context();
        IdxPair gz = pair(true);
        IdxPair raw = pair(false);
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
        } finally {
            gzipSets.forEach(ImageBlocks::close);
        }
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
