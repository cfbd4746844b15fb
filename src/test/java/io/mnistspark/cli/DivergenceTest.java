package io.mnistspark.cli;

import io.mnistspark.data.IdxFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A learning rate that blows up (eta 1000) stops training with exit code 1, keeping the last good checkpoint. */
class DivergenceTest {
    @TempDir
    Path dir;

    @Test
    void divergenceNamesTheEpochKeepsTheLastGoodCheckpointAndWritesNoFinalOutputs() throws IOException {
        Path data = IdxFixtures.writeDataset(dir.resolve("data"), IdxFixtures.learnable(600, 28, 28, 1),
                IdxFixtures.learnable(200, 28, 28, 2));
        Path out = dir.resolve("run");
        List<String> common = List.of("--conf", "conf/keras-relu.conf", "--set", "training.validation-size=100");

        Path fresh = dir.resolve("fresh");
        Cli blowUp = Cli.run(Stream.concat(Stream.of("train", "--data", data.toString(), "--out", fresh.toString(),
                "--learning-rate", "1000", "--epochs", "2"), common.stream()).toArray(String[]::new));
        assertEquals(1, blowUp.code(), blowUp.toString());
        assertEquals("error: training diverged in epoch 1: the training loss is NaN (try a smaller "
                + "training.learning-rate than 1000.0); no checkpoint was written", blowUp.err().strip());
        assertFalse(Files.exists(fresh), "a run that failed before its first checkpoint leaves nothing");

        // one good epoch, then the driver dies before the final outputs (as in KillAndResumeTest)
        Cli good = Cli.run(Stream.concat(Stream.of("train", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "1"), common.stream()).toArray(String[]::new));
        assertEquals(0, good.code(), good.toString());
        for (String name : List.of("_SUCCESS", "model.zip", "best-model.zip", "metrics.json", "config.conf", "epochs.csv",
                "report.html")) {
            Files.delete(out.resolve(name));
        }
        try (Stream<Path> charts = Files.list(out.resolve("report"))) {
            for (Path chart : charts.toList()) {
                Files.delete(chart);
            }
        }
        Files.delete(out.resolve("report"));
        byte[] checkpointModel = Files.readAllBytes(out.resolve("checkpoints/epoch-0001/model.zip"));

        Cli diverged = Cli.run("train", "--resume", out.toString(), "--epochs", "3", "--learning-rate", "1000", "--force");
        assertEquals(1, diverged.code(), diverged.toString());
        assertEquals("error: training diverged in epoch 2: the training loss is NaN (try a smaller "
                + "training.learning-rate than 1000.0); the last good checkpoint is file:" + out.toAbsolutePath()
                + "/checkpoints/epoch-0001", diverged.err().strip());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("checkpoints"), files.map(p -> p.getFileName().toString()).toList(),
                    "no final outputs, no staging area: only the checkpoints");
        }
        try (Stream<Path> files = Files.list(out.resolve("checkpoints"))) {
            assertEquals(List.of("epoch-0001"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertTrue(java.util.Arrays.equals(checkpointModel, Files.readAllBytes(out.resolve("checkpoints/epoch-0001/model.zip"))));

        Cli resumed = Cli.run("train", "--resume", out.toString());
        assertEquals(0, resumed.code(), "the good checkpoint still resumes: " + resumed);
        assertTrue(resumed.out().contains("1 of 1 epochs done"), resumed.out());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    /** Adam's steps keep the loss finite while the parameters run away: the same stop, for every updater. */
    @Test
    void adamThatRunsAwayStopsAsSgdDoes() throws IOException {
        Path data = IdxFixtures.writeDataset(dir.resolve("data"), IdxFixtures.learnable(600, 28, 28, 1),
                IdxFixtures.learnable(200, 28, 28, 2));
        Path out = dir.resolve("adam");
        Cli adam = Cli.run("train", "--data", data.toString(), "--out", out.toString(), "--epochs", "2",
                "--set", "training.updater=adam", "--learning-rate", "1e30", "--set", "training.validation-size=100");
        assertEquals(1, adam.code(), adam.toString());
        assertTrue(adam.err().strip().matches("error: training diverged in epoch 1: a parameter has grown to [0-9.e+]+ "
                + "\\(the limit is 1e\\+06\\) \\(try a smaller training.learning-rate than 1.0E30\\); no checkpoint was written"),
                adam.err());
        assertFalse(Files.exists(out), "nothing left behind");
    }
}
