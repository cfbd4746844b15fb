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

    @org.junit.jupiter.params.ParameterizedTest(name = "fused layers: {0}, with the updater: {1}")
    @org.junit.jupiter.params.provider.CsvSource({"true,true", "true,false", "false,true", "false,false"})
    void aStoredModelFileHoldsModelSerializersEntriesByteForByte(boolean fused, boolean withUpdater) throws IOException {
        RunConfig config = new ConfigLoader().override("network.hidden-layers", "[16, 8]")
                .override("training.updater", "adam").override("training.fused-layers", Boolean.toString(fused)).load();
        MultiLayerNetwork net = NetworkFactory.create(config.network(), config.training(), 36, 10);
        for (int step = 0; step < 3; step++) { // Adam's moments are not zero
            net.fit(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 20, 36),
                    Nd4j.eye(10).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).repeat(0, 2));
        }
        java.io.ByteArrayOutputStream deflated = new java.io.ByteArrayOutputStream();
        ModelStore.write(net, deflated, withUpdater);
        java.io.ByteArrayOutputStream stored = new java.io.ByteArrayOutputStream();
        ModelStore.writeStored(net, stored, withUpdater);
        java.util.Map<String, byte[]> expected = entries(deflated.toByteArray());
        java.util.Map<String, byte[]> actual = entries(stored.toByteArray());
        assertEquals(expected.keySet(), actual.keySet());
        assertEquals(withUpdater, actual.containsKey("updaterState.bin"));
        for (String name : expected.keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.get(name), actual.get(name), name);
        }
        java.nio.file.Path file = dir.resolve("stored.zip");
        Files.write(file, stored.toByteArray());
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), withUpdater);
        assertEquals(net.params(), plain.params());
        if (withUpdater) {
            assertEquals(net.getUpdater().getStateViewArray(), plain.getUpdater().getStateViewArray());
        }
    }

    private static java.util.Map<String, byte[]> entries(byte[] zip) throws IOException {
        java.util.Map<String, byte[]> entries = new java.util.TreeMap<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (java.util.zip.ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
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
