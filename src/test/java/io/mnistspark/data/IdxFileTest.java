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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxFileTest {
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

    @Test
    void readsGzipAndRawImagesAlike() throws IOException {
        byte[] raw = imagesBytes(IdxFile.IMAGES_MAGIC, 3, 4, 5, pixels(60));
        IdxFile.Images fromGzip = IdxFile.readImages(file("a.gz", gzip(raw)), HADOOP);
        IdxFile.Images fromRaw = IdxFile.readImages(file("a-raw", raw), HADOOP);
        assertEquals(3, fromGzip.count());
        assertEquals(4, fromGzip.rows());
        assertEquals(5, fromGzip.columns());
        assertArrayEquals(pixels(60), fromGzip.pixels());
        assertArrayEquals(fromGzip.pixels(), fromRaw.pixels());
    }

    @Test
    void readsLabels() throws IOException {
        byte[] labels = {0, 9, 3, 3};
        assertArrayEquals(labels, IdxFile.readLabels(file("l.gz", gzip(labelsBytes(IdxFile.LABELS_MAGIC, 4, labels))), HADOOP));
    }

    private String imagesError(String name, byte[] content) throws IOException {
        Path path = file(name, content);
        return assertThrows(InvalidInputException.class, () -> IdxFile.readImages(path, HADOOP)).getMessage();
    }

    private String labelsError(String name, byte[] content) throws IOException {
        Path path = file(name, content);
        return assertThrows(InvalidInputException.class, () -> IdxFile.readLabels(path, HADOOP)).getMessage();
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        String message = imagesError("labels-as-images.gz", gzip(labelsBytes(IdxFile.LABELS_MAGIC, 2, new byte[]{1, 2})));
        assertTrue(message.contains("labels-as-images.gz") && message.contains("not an IDX images file")
                && message.contains("2049") && message.contains("expected 2051"), message);
    }

    @Test
    void rejectsTruncatedGzip() throws IOException {
        byte[] whole = gzip(imagesBytes(IdxFile.IMAGES_MAGIC, 50, 28, 28, pixels(50 * 784)));
        String message = imagesError("cut.gz", Arrays.copyOf(whole, whole.length / 2));
        assertTrue(message.contains("cut.gz") && message.contains("truncated"), message);
    }

    @Test
    void rejectsGzipNameWithoutGzipContent() throws IOException {
        String message = imagesError("text.gz", "this is not an IDX file at all".getBytes());
        assertTrue(message.contains("text.gz: not gzip data (the name ends in .gz but the file starts with neither"), message);
    }

    @Test
    void rejectsTruncatedBody() throws IOException {
        byte[] raw = imagesBytes(IdxFile.IMAGES_MAGIC, 3, 4, 5, pixels(60));
        String message = imagesError("short.gz", gzip(Arrays.copyOf(raw, raw.length - 10)));
        assertTrue(message.contains("truncated") && message.contains("3 images of 4x5") && message.contains("50 bytes follow"), message);
    }

    @Test
    void rejectsTrailingData() throws IOException {
        byte[] raw = imagesBytes(IdxFile.IMAGES_MAGIC, 3, 4, 5, pixels(70));
        String message = imagesError("long", raw);
        assertTrue(message.contains("10 bytes of data after"), message);
    }

    @Test
    void rejectsZeroImagesAndBadSizes() throws IOException {
        assertTrue(imagesError("zero", imagesBytes(IdxFile.IMAGES_MAGIC, 0, 28, 28, new byte[0]))
                .contains("contains 0 images"));
        assertTrue(imagesError("size", imagesBytes(IdxFile.IMAGES_MAGIC, 1, 0, 28, new byte[0]))
                .contains("image size 0x28"));
        assertTrue(imagesError("header", new byte[]{0, 0, 8, 3, 0}).contains("ends inside the IDX header"));
    }

    @Test
    void rejectsLabelOutsideDigits() throws IOException {
        String message = labelsError("l", labelsBytes(IdxFile.LABELS_MAGIC, 3, new byte[]{1, 12, 3}));
        assertTrue(message.contains("label 12 at index 1 is outside 0-9"), message);
    }

    @Test
    void rejectsMissingFileAndDirectory() {
        Path missing = new Path(dir.resolve("nope.gz").toUri());
        assertTrue(assertThrows(InvalidInputException.class, () -> IdxFile.readImages(missing, HADOOP))
                .getMessage().endsWith("nope.gz: file not found (expected an IDX file)"));
        Path directory = new Path(dir.toUri());
        assertTrue(assertThrows(InvalidInputException.class, () -> IdxFile.readLabels(directory, HADOOP))
                .getMessage().contains("is a directory"));
    }
}
