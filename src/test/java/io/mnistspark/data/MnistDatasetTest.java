package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistDatasetTest {
    private static final Configuration HADOOP = new Configuration();

    @TempDir
    java.nio.file.Path dir;

    @Test
    void readsHeadersAndHoldsOutTheLastImagesLikeNielsen() throws IOException {
        LabeledImages train = IdxFixtures.learnable(60, 28, 28, 1);
        IdxFixtures.writeDataset(dir, train, IdxFixtures.learnable(20, 28, 28, 2));
        MnistDataset dataset = MnistDataset.open(new Path(dir.toUri()), HADOOP);
        assertEquals(60, dataset.train().count());
        assertEquals(20, dataset.test().count());
        assertEquals(50, dataset.fitCount(10));
        assertEquals(60, dataset.fitCount(0));
        assertTrue(assertThrows(InvalidInputException.class, () -> dataset.fitCount(60)).getMessage()
                .contains("training.validation-size holds out 60 images, leaving no training data"));
    }

    @Test
    void findsRawFilesUnderLeCunsNames() throws IOException {
        IdxFixtures.writeDataset(dir, IdxFixtures.learnable(5, 28, 28, 1), IdxFixtures.learnable(5, 28, 28, 2));
        java.nio.file.Path gz = dir.resolve("train-images-idx3-ubyte.gz");
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
            Files.write(dir.resolve("train-images.idx3-ubyte"), in.readAllBytes());
        }
        Files.delete(gz);
        MnistFiles files = MnistFiles.in(new Path(dir.toUri()), HADOOP);
        assertTrue(files.trainImages().getName().equals("train-images.idx3-ubyte"));
        assertEquals(5, MnistDataset.open(new Path(dir.toUri()), HADOOP).train().count());
    }

    @Test
    void rejectsCountMismatchBetweenImagesAndLabels() throws IOException {
        IdxFixtures.writeDataset(dir, IdxFixtures.learnable(6, 28, 28, 1), IdxFixtures.learnable(5, 28, 28, 2));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFixtures.gzip(
                IdxFixtures.labelsBytes(IdxHeader.LABELS_MAGIC, 4, new byte[]{1, 2, 3, 4})));
        String message = assertThrows(InvalidInputException.class,
                () -> MnistDataset.open(new Path(dir.toUri()), HADOOP)).getMessage();
        assertTrue(message.contains("t10k-labels-idx1-ubyte.gz: holds 4 labels but") && message.contains("holds 5 images"), message);
    }

    @Test
    void rejectsTestImagesOfAnotherSize() throws IOException {
        IdxFixtures.writeDataset(dir, IdxFixtures.learnable(6, 28, 28, 1), IdxFixtures.learnable(5, 20, 20, 2));
        String message = assertThrows(InvalidInputException.class,
                () -> MnistDataset.open(new Path(dir.toUri()), HADOOP)).getMessage();
        assertTrue(message.contains("images are 20x20 but the training images"), message);
    }

    @Test
    void rejectsDirectoryWithoutTheFourFiles() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        String message = assertThrows(InvalidInputException.class,
                () -> MnistFiles.in(new Path(dir.resolve("empty").toUri()), HADOOP)).getMessage();
        assertTrue(message.contains("empty/: holds none of the four MNIST-format files train-images-idx3-ubyte"), message);
        message = assertThrows(InvalidInputException.class,
                () -> MnistFiles.in(new Path(dir.resolve("absent").toUri()), HADOOP)).getMessage();
        assertTrue(message.endsWith("absent: data directory not found"), message);
    }
}
