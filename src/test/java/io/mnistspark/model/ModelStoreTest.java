package io.mnistspark.model;

import io.mnistspark.InvalidInputException;
import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelStoreTest {
    private static final Configuration HADOOP = new Configuration();

    @TempDir
    java.nio.file.Path dir;

    private MultiLayerNetwork network(int inputs) {
        RunConfig config = new ConfigLoader().override("network.hidden-layers", "[8]").load();
        return NetworkFactory.create(config.network(), config.training(), inputs, 10);
    }

    @Test
    void saveLoadGivesTheSamePredictionsAndPlainDl4jReadsIt() throws IOException {
        MultiLayerNetwork net = network(784);
        java.nio.file.Path file = dir.resolve("model.zip");
        try (OutputStream out = Files.newOutputStream(file)) {
            ModelStore.write(net, out);
        }
        INDArray input = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 784);
        MultiLayerNetwork loaded = ModelStore.load(new Path(file.toUri()), HADOOP, 784, 10);
        assertEquals(net.output(input), loaded.output(input));
        assertEquals(net.params(), loaded.params());
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(file.toFile());
        assertEquals(net.output(input), plain.output(input));
    }

    @Test
    void rejectsFilesThatAreNotModels() throws IOException {
        java.nio.file.Path text = dir.resolve("notes.zip");
        Files.writeString(text, "not a zip");
        String message = assertThrows(InvalidInputException.class,
                () -> ModelStore.load(new Path(text.toUri()), HADOOP, 784, 10)).getMessage();
        assertTrue(message.contains("notes.zip: not a DL4J MultiLayerNetwork model zip"), message);
        message = assertThrows(InvalidInputException.class,
                () -> ModelStore.load(new Path(dir.resolve("absent.zip").toUri()), HADOOP, 784, 10)).getMessage();
        assertTrue(message.endsWith("absent.zip: file not found (expected a model.zip file)"), message);
    }

    @Test
    void rejectsAModelForAnotherImageSize() throws IOException {
        java.nio.file.Path file = dir.resolve("small.zip");
        try (OutputStream out = Files.newOutputStream(file)) {
            ModelStore.write(network(100), out);
        }
        String message = assertThrows(InvalidInputException.class,
                () -> ModelStore.load(new Path(file.toUri()), HADOOP, 784, 10)).getMessage();
        assertTrue(message.contains("the model takes 100 inputs, but the images have 784 pixels"), message);
    }
}
