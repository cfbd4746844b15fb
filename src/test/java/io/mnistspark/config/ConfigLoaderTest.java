package io.mnistspark.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("run.conf");
        Files.writeString(file, text);
        return file;
    }

    private String error(String text) throws IOException {
        Path file = write(text);
        return assertThrows(InvalidConfigException.class, () -> new ConfigLoader().file(file).load()).getMessage();
    }

    @Test
    void defaultsAreNielsensNetwork() {
        RunConfig config = new ConfigLoader().load();
        assertEquals(List.of(30), config.network().hiddenLayers());
        assertEquals(HiddenActivation.SIGMOID, config.network().activation());
        assertEquals(Loss.QUADRATIC, config.network().loss());
        assertEquals(WeightInit.STANDARD_NORMAL, config.network().weightInit());
        assertEquals(Updater.SGD, config.training().updater());
        assertEquals(3.0, config.training().learningRate());
        assertEquals(10, config.training().batchSize());
        assertEquals(30, config.training().epochs());
        assertEquals(0.1666667, config.training().validationSize());
        assertEquals(10000, config.training().validationCount(60000), "Nielsen's 50000/10000 split of MNIST");
        assertEquals(1333, config.training().validationCount(8000));
    }

    @Test
    void validationSizeIsAFractionBelowOneAndACountFromOne() {
        assertEquals(100, new ConfigLoader().override("training.validation-size", "100").load()
                .training().validationCount(8000));
        assertEquals(800, new ConfigLoader().override("training.validation-size", "0.1").load()
                .training().validationCount(8000));
        assertEquals(0, new ConfigLoader().override("training.validation-size", "0").load()
                .training().validationCount(8000));
    }

    @Test
    void everyShippedConfigurationLoads() {
        for (String name : List.of("nielsen", "keras-relu", "keras-adam", "best")) {
            RunConfig config = new ConfigLoader().file(Path.of("conf", name + ".conf")).load();
            assertTrue(config.training().epochs() >= 10, name);
        }
        RunConfig fast = new ConfigLoader().file(Path.of("conf/fast.conf")).load();
        assertEquals(List.of(100), fast.network().hiddenLayers());
        assertEquals(5, fast.training().epochs());
        RunConfig relu = new ConfigLoader().file(Path.of("conf/keras-relu.conf")).load();
        assertEquals(List.of(128, 128, 128), relu.network().hiddenLayers());
        assertEquals(OutputActivation.SOFTMAX, relu.network().outputActivation());
        assertEquals(Updater.ADAM, new ConfigLoader().file(Path.of("conf/keras-adam.conf")).load().training().updater());
    }

    @Test
    void overridesWinOverTheFile() throws IOException {
        Path file = write("training { epochs = 7, learning-rate = 0.5 }");
        RunConfig config = new ConfigLoader().file(file)
                .override("training.epochs", "2")
                .override("network.hidden-layers", "[100, 50]")
                .load();
        assertEquals(2, config.training().epochs());
        assertEquals(0.5, config.training().learningRate());
        assertEquals(List.of(100, 50), config.network().hiddenLayers());
    }

    @Test
    void resolvedConfigurationRoundTrips() throws IOException {
        RunConfig config = new ConfigLoader().file(write("network.hidden-layers = [64]\nspark.workers = 3")).load();
        RunConfig again = new ConfigLoader().parse(config.render(), "config.conf");
        assertEquals(config.network(), again.network());
        assertEquals(config.training(), again.training());
        assertEquals(config.spark(), again.spark());
        assertTrue(config.render().contains("learning-rate"));
    }

    @Test
    void unknownKeyIsNamedWithTheKnownOnes() throws IOException {
        String message = error("training {\n  epoch = 5\n}");
        assertTrue(message.contains("run.conf:2: unknown key 'training.epoch'"), message);
        assertTrue(message.contains("known keys in training:") && message.contains("epochs"), message);
        assertTrue(error("optimizer { lr = 1 }").contains("unknown key 'optimizer.lr'"));
    }

    @Test
    void wrongTypeNamesKeyAndFile() throws IOException {
        String message = error("training.epochs = many");
        assertTrue(message.contains("run.conf:1: training.epochs = \"many\": expected a whole number >= 1"), message);
        assertTrue(error("network = 5").contains("network must be a section"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "training.learning-rate = -1|training.learning-rate = -1: must be a finite number > 0",
            "training.batch-size = 0|training.batch-size = 0: must be >= 1",
            "training.epochs = 0|training.epochs = 0: must be >= 1",
            "training.l2 = -0.1|training.l2 = -0.1: must be a finite number >= 0",
            "training.learning-rate-decay = 0|training.learning-rate-decay = 0: must be a number in (0.0, 1.0]",
            "training.learning-rate-decay = 1.2|training.learning-rate-decay = 1.2: must be a number in (0.0, 1.0]",
            "training.dropout = 1|training.dropout = 1: must be a number in [0.0, 1.0)",
            "training.momentum = 1.5|training.momentum = 1.5: must be a number in [0.0, 1.0)",
            "training.validation-size = -5|training.validation-size = -5: must be a fraction in [0, 1) or a whole number >= 1",
            "training.validation-size = 12.5|training.validation-size = 12.5: must be a fraction in [0, 1) or a whole number >= 1",
            "spark.averaging-frequency = 0|spark.averaging-frequency = 0: must be >= 1",
            "network.hidden-layers = [30, 0]|every layer size must be >= 1",
            "network.activation = swish|network.activation = \"swish\": expected one of sigmoid, relu, tanh, leaky-relu, identity",
            "training.updater = rmsprop|expected one of sgd, nesterovs, adam",
            "spark.rdd-training-approach = magic|expected one of direct, export",
    })
    void outOfRangeValuesAreRejected(String line, String expected) throws IOException {
        String message = error(line);
        assertTrue(message.contains(expected), message);
        assertTrue(message.startsWith(dir.resolve("run.conf") + ":1: "), message);
    }

    @Test
    void commandLineOverridesAreValidatedToo() {
        String message = assertThrows(InvalidConfigException.class,
                () -> new ConfigLoader().override("training.batch-size", "0").load()).getMessage();
        assertTrue(message.contains("training.batch-size = 0: must be >= 1"), message);
        message = assertThrows(InvalidConfigException.class,
                () -> new ConfigLoader().override("training.bogus", "1").load()).getMessage();
        assertTrue(message.contains("unknown key 'training.bogus'"), message);
    }

    @Test
    void missingOrBrokenFileIsNamed() throws IOException {
        String message = assertThrows(InvalidConfigException.class,
                () -> new ConfigLoader().file(dir.resolve("absent.conf")).load()).getMessage();
        assertTrue(message.endsWith("absent.conf: configuration file not found"), message);
        message = error("training { epochs = ");
        assertTrue(message.contains("run.conf"), message);
        assertFalse(message.contains("\n"));
    }
}
