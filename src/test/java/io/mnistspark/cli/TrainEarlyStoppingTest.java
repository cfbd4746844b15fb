package io.mnistspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.model.ModelStore;
import io.mnistspark.store.JsonFormat;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code training.early-stopping}, {@code best-model.zip} and what {@code --resume} carries of them. */
class TrainEarlyStoppingTest {
    private static final LabeledImages TRAIN = IdxFixtures.learnable(600, 28, 28, 1);
    private static final LabeledImages TEST = IdxFixtures.learnable(200, 28, 28, 2);

    @TempDir
    Path dir;

    private Path data() throws IOException {
        return IdxFixtures.writeDataset(dir.resolve("data"), TRAIN, TEST);
    }

    /**
     * A run built to plateau: a learning rate of 1e-9 leaves every prediction, so the validation accuracy, as
     * it was after epoch 1, and no later epoch improves on it.
     */
    private static Cli plateau(Path data, Path out, int patience, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "10", "--learning-rate", "1e-9", "--set", "training.validation-size=100",
                "--set", "network.hidden-layers=[16]", "--set", "spark.averaging-frequency=5",
                "--set", "training.early-stopping.patience=" + patience));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static JsonNode metrics(Path out) throws IOException {
        return JsonFormat.mapper().readTree(out.resolve("metrics.json").toFile());
    }

    @Test
    void stopsAtTheExpectedEpochOnAPlateau() throws IOException {
        Path out = dir.resolve("run");
        Cli run = plateau(data(), out, 2);
        assertEquals(0, run.code(), run.toString());
        // epoch 1 is the best; epochs 2 and 3 do not improve on it; patience 2 stops after epoch 3
        assertTrue(run.out().contains("Epoch 3/10") && !run.out().contains("Epoch 4/10"), run.out());
        JsonNode m = metrics(out);
        assertEquals(3, m.get("epochs").size());
        assertEquals(1, m.at("/best_validation/epoch").asInt());
        assertEquals("validation-accuracy", m.at("/best_validation/metric").asText());
        assertEquals(m.at("/epochs/0/validation_accuracy").asDouble(), m.at("/best_validation/value").asDouble());
        assertTrue(m.get("stop_reason").asText().contains("did not improve"), m.toString());
        assertTrue(run.out().contains("Best test accuracy "), "the book's line stays: " + run.out());
        assertTrue(run.out().contains("Best validation epoch 1 (validation-accuracy ")
                && run.out().contains("stopped early after epoch 3 of 10: validation-accuracy did not improve"), run.out());
        assertTrue(Files.isRegularFile(out.resolve("best-model.zip")) && Files.isRegularFile(out.resolve("model.zip")));
    }

    @Test
    void earlyStoppingWithoutValidationDataIsOneLineAndExitTwo() throws IOException {
        Path out = dir.resolve("run");
        Cli run = plateau(data(), out, 2, "--set", "training.validation-size=0");
        assertEquals(2, run.code(), run.toString());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("training.early-stopping.patience = 2: early stopping needs validation data"),
                run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void bestModelEvaluatesToTheRecordedBestValidationFigure() throws IOException {
        Path data = data();
        Path out = dir.resolve("run");
        Cli train = Cli.run("train", "--data", data.toString(), "--out", out.toString(), "--epochs", "4",
                "--set", "training.validation-size=100", "--set", "network.hidden-layers=[16]",
                "--set", "spark.averaging-frequency=5", "--learning-rate", "0.5");
        assertEquals(0, train.code(), train.toString());
        assertTrue(train.out().contains("ran all 4 epochs"), train.out());
        JsonNode m = metrics(out);
        int best = m.at("/best_validation/epoch").asInt();
        double bestValue = m.at("/best_validation/value").asDouble();
        for (JsonNode epoch : m.get("epochs")) {
            assertTrue(epoch.get("validation_accuracy").asDouble() <= bestValue, "the best validation epoch: " + m);
        }
        assertEquals(m.at("/epochs/" + (best - 1) + "/validation_accuracy").asDouble(), bestValue);

        // the validation images are the last 100 of the training file: as the test set of another directory
        Path validationData = IdxFixtures.writeDataset(dir.resolve("validation"), TRAIN, TRAIN.slice(500, 600));
        Cli onValidation = Cli.run("evaluate", "--model", out.resolve("best-model.zip").toString(),
                "--data", validationData.toString());
        assertEquals(0, onValidation.code(), onValidation.toString());
        assertEquals(accuracy(bestValue, 100), testAccuracy(onValidation), onValidation.out());
        Cli onTest = Cli.run("evaluate", "--model", out.resolve("best-model.zip").toString(), "--data", data.toString());
        assertEquals(accuracy(m.at("/epochs/" + (best - 1) + "/test_accuracy").asDouble(), 200), testAccuracy(onTest),
                "best-model.zip is the network of epoch " + best);

        Cli score = Cli.run("score", "--model", out.resolve("best-model.zip").toString(), "--input",
                validationData.resolve("t10k-images-idx3-ubyte.gz").toString(), "--out", dir.resolve("scored").toString());
        assertEquals(0, score.code(), score.toString());
    }

    @Test
    void aResumeKeepsTheBestSoFarAndThePatienceCounter() throws IOException {
        Path data = data();
        Path whole = dir.resolve("whole");
        Cli uninterrupted = plateau(data, whole, 3);
        assertEquals(0, uninterrupted.code(), uninterrupted.toString());
        assertEquals(4, metrics(whole).get("epochs").size(), "best epoch 1, three more without improvement");

        // killed during epoch 3: epoch 1 was the best, epoch 2 did not improve (patience counter 1)
        Path killed = dir.resolve("killed");
        assertEquals(0, plateau(data, killed, 3, "--set", "checkpoint.keep=10").code());
        try (Stream<Path> files = Files.list(killed)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals("checkpoints")) {
                    ResumeTest.deleteTree(file);
                }
            }
        }
        ResumeTest.deleteTree(killed.resolve("checkpoints/epoch-0003"));
        ResumeTest.deleteTree(killed.resolve("checkpoints/epoch-0004"));
        Cli resumed = Cli.run("train", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.toString());
        // a fresh best-so-far would make epoch 3 the best and stop only after epoch 6
        assertTrue(resumed.out().contains("Epoch 4/10") && !resumed.out().contains("Epoch 5/10"), resumed.out());
        assertEquals(1, metrics(killed).at("/best_validation/epoch").asInt());
        assertEquals(metrics(whole).get("best_validation"), metrics(killed).get("best_validation"));
        assertArrayEquals(params(whole.resolve("best-model.zip")), params(killed.resolve("best-model.zip")));
    }

    private static float[] params(Path model) {
        return ModelStore.load(new org.apache.hadoop.fs.Path(model.toUri()), new Configuration(), 784, 10)
                .params().toFloatVector();
    }

    private static String accuracy(double fraction, int total) {
        return String.format(Locale.ROOT, "%d / %d (%.2f%%)", Math.round(fraction * total), total, 100 * fraction);
    }

    private static String testAccuracy(Cli evaluate) {
        Matcher m = Pattern.compile("Test accuracy: (.*)").matcher(evaluate.out());
        assertTrue(m.find(), evaluate.out());
        return m.group(1).strip();
    }
}
