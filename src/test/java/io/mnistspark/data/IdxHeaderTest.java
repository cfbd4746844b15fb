package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import static io.mnistspark.data.IdxFixtures.gzip;
import static io.mnistspark.data.IdxFixtures.imagesBytes;
import static io.mnistspark.data.IdxFixtures.labelsBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver reads headers only (and a raw file's length); the executors' readers ({@link IdxReads}, used here
 * through {@link LocalImages} in this JVM) read the bytes and fail with the same one-line messages.
 */
class IdxHeaderTest {
    private static final Configuration HADOOP = new Configuration();

    @TempDir
    java.nio.file.Path dir;

    private Path file(String name, byte[] content) throws IOException {
        java.nio.file.Path path = dir.resolve(name);
        Files.write(path, content);
        return new Path(path.toUri());
    }

    private static byte[] pixels(int n) {
        byte[] pixels = new byte[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = (byte) (i * 7);
        }
        return pixels;
    }

    private static byte[] labels(int n) {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        return labels;
    }

    @Test
    void readsGzipAndRawImagesAlike() throws IOException {
        byte[] raw = imagesBytes(IdxHeader.IMAGES_MAGIC, 3, 4, 5, pixels(60));
        byte[] labelFile = labelsBytes(IdxHeader.LABELS_MAGIC, 3, new byte[]{0, 9, 3});
        IdxPair gz = IdxPair.read(file("a.gz", gzip(raw)), file("l.gz", gzip(labelFile)), HADOOP);
        IdxPair plain = IdxPair.read(file("a-raw", raw), file("l-raw", labelFile), HADOOP);
        assertTrue(gz.gzip());
        assertFalse(plain.gzip());
        assertEquals(3, gz.count());
        assertEquals(4, gz.rows());
        assertEquals(5, gz.columns());
        LabeledImages fromGzip = LocalImages.read(gz, HADOOP);
        LabeledImages fromRaw = LocalImages.read(plain, HADOOP);
        assertArrayEquals(pixels(60), fromGzip.pixelBytes());
        assertArrayEquals(fromGzip.pixelBytes(), fromRaw.pixelBytes());
        assertArrayEquals(new byte[]{0, 9, 3}, fromRaw.labelBytes());
        assertArrayEquals(fromGzip.labelBytes(), fromRaw.labelBytes());
    }

    @Test
    void readsAnyRangeOfARawFileByItsOffsets() throws IOException {
        byte[] raw = imagesBytes(IdxHeader.IMAGES_MAGIC, 2500, 2, 2, pixels(10000));
        IdxPair pair = IdxPair.read(file("i", raw), file("l", labelsBytes(IdxHeader.LABELS_MAGIC, 2500, labels(2500))), HADOOP);
        LabeledImages middle = LocalImages.read(pair, 1200, 2100, HADOOP);
        assertEquals(900, middle.count());
        assertArrayEquals(Arrays.copyOfRange(pixels(10000), 4800, 8400), middle.pixelBytes());
        assertEquals(1200 % 10, middle.label(0));
    }

    private String imagesError(String name, byte[] content) throws IOException {
        Path path = file(name, content);
        return assertThrows(InvalidInputException.class, () -> {
            IdxHeader header = IdxHeader.images(path, HADOOP);
            LocalImages.read(new IdxPair(header, null), HADOOP);
        }).getMessage();
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        String message = imagesError("labels-as-images.gz", gzip(labelsBytes(IdxHeader.LABELS_MAGIC, 2, new byte[]{1, 2})));
        assertTrue(message.contains("labels-as-images.gz") && message.contains("not an IDX images file")
                && message.contains("2049") && message.contains("expected 2051"), message);
    }

    @Test
    void rejectsTruncatedGzip() throws IOException {
        byte[] whole = gzip(imagesBytes(IdxHeader.IMAGES_MAGIC, 50, 28, 28, pixels(50 * 784)));
        String message = imagesError("cut.gz", Arrays.copyOf(whole, whole.length / 2));
        assertTrue(message.contains("cut.gz") && message.contains("truncated"), message);
    }

    @Test
    void rejectsGzipNameWithoutGzipContent() throws IOException {
        String message = imagesError("text.gz", "this is not an IDX file at all".getBytes());
        assertTrue(message.contains("text.gz: not gzip data (the name ends in .gz but the file starts with neither"), message);
    }

    @Test
    void rejectsTruncatedBodyOfGzipInTheStreamAndOfRawFromTheLength() throws IOException {
        byte[] raw = imagesBytes(IdxHeader.IMAGES_MAGIC, 3, 4, 5, pixels(60));
        String message = imagesError("short.gz", gzip(Arrays.copyOf(raw, raw.length - 10)));
        assertTrue(message.contains("truncated") && message.contains("3 images of 4x5") && message.contains("50 bytes follow"), message);
        Path rawFile = file("short", Arrays.copyOf(raw, raw.length - 10));
        message = assertThrows(InvalidInputException.class, () -> IdxHeader.images(rawFile, HADOOP)).getMessage();
        assertTrue(message.contains("truncated") && message.contains("3 images of 4x5") && message.contains("50 bytes follow"), message);
    }

    @Test
    void rejectsTrailingDataOfRawAndGzip() throws IOException {
        byte[] raw = imagesBytes(IdxHeader.IMAGES_MAGIC, 3, 4, 5, pixels(70));
        assertTrue(imagesError("long", raw).contains("10 bytes of data after"));
        assertTrue(imagesError("long.gz", gzip(raw)).contains("10 bytes of data after"));
    }

    @Test
    void rejectsZeroImagesAndBadSizes() throws IOException {
        assertTrue(imagesError("zero", imagesBytes(IdxHeader.IMAGES_MAGIC, 0, 28, 28, new byte[0]))
                .contains("contains 0 images"));
        assertTrue(imagesError("size", imagesBytes(IdxHeader.IMAGES_MAGIC, 1, 0, 28, new byte[0]))
                .contains("image size 0x28"));
        assertTrue(imagesError("header", new byte[]{0, 0, 8, 3, 0}).contains("ends inside the IDX header"));
    }

    @Test
    void aFileLargerThanTwoGigabytesIsPlannedFromItsHeader() throws IOException {
        // a sparse file: 3 million images of 28x28 are 2.35 GB, over what one Java array holds
        java.nio.file.Path big = dir.resolve("big-images");
        try (var channel = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            channel.write(java.nio.ByteBuffer.wrap(imagesBytes(IdxHeader.IMAGES_MAGIC, 3_000_000, 28, 28, new byte[0])));
            channel.write(java.nio.ByteBuffer.wrap(new byte[]{42}), 16 + 3_000_000L * 784 - 1);
        }
        IdxHeader header = IdxHeader.images(new Path(big.toUri()), HADOOP);
        assertEquals(3_000_000, header.count());
        LabeledImages last = LocalImages.read(new IdxPair(header, null), 2_999_999, 3_000_000, HADOOP);
        assertEquals(42, last.pixel(0, 783));
    }

    @Test
    void rejectsMissingFileAndDirectory() {
        Path missing = new Path(dir.resolve("nope.gz").toUri());
        assertTrue(assertThrows(InvalidInputException.class, () -> IdxHeader.images(missing, HADOOP))
                .getMessage().endsWith("nope.gz: file not found (expected an IDX file)"));
        Path directory = new Path(dir.toUri());
        assertTrue(assertThrows(InvalidInputException.class, () -> IdxHeader.labels(directory, HADOOP))
                .getMessage().contains("is a directory"));
    }
}
