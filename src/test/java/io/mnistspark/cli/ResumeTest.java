package io.mnistspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.store.JsonFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints and {@code train --resume}: a resumed run ends exactly as an uninterrupted one. */
class ResumeTest {
    static final String[] SETTINGS = {"--epochs", "4", "--workers", "2", "--set", "spark.averaging-frequency=3",
            "--set", "training.validation-size=100", "--set", "network.hidden-layers=[16]",
            "--set", "training.updater=nesterovs", "--learning-rate", "0.05", "--set", "checkpoint.keep=10"};

    @TempDir
    Path dir;

    static Path fixtureData(Path dir) throws IOException {
        return IdxFixtures.writeDataset(dir.resolve("data"), IdxFixtures.learnable(600, 28, 28, 1),
                IdxFixtures.learnable(200, 28, 28, 2));
    }

    static Cli train(Path data, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString()));
        args.addAll(List.of(SETTINGS));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    /** The per-epoch metrics of a finished run without the timings, which differ from run to run. */
    static List<String> history(Path out) throws IOException {
        JsonNode metrics = JsonFormat.mapper().readTree(out.resolve("metrics.json").toFile());
        List<String> epochs = new ArrayList<>();
        for (JsonNode epoch : metrics.get("epochs")) {
            epochs.add(epoch.get("epoch") + " " + epoch.get("train_loss") + " " + epoch.get("validation_accuracy")
                    + " " + epoch.get("test_accuracy") + " " + epoch.get("test_correct"));
        }
        return epochs;
    }

    @Test
    void aResumedRunEndsWithTheHistoryAndModelOfAnUninterruptedOne() throws IOException {
        Path data = fixtureData(dir);
        Path whole = dir.resolve("whole");
        Cli uninterrupted = train(data, whole);
        assertEquals(0, uninterrupted.code(), uninterrupted.toString());
        for (int epoch = 1; epoch <= 4; epoch++) {
            assertTrue(Files.isRegularFile(whole.resolve("checkpoints/epoch-000" + epoch + "/model.zip")));
            assertTrue(Files.isRegularFile(whole.resolve("checkpoints/epoch-000" + epoch + "/state.json")));
        }

        // the state a driver killed during epoch 3 leaves: checkpoints of epochs 1 and 2, no final outputs
        Path killed = dir.resolve("killed");
        assertEquals(0, train(data, killed).code());
        for (String name : List.of("_SUCCESS", "model.zip", "metrics.json", "config.conf", "epochs.csv")) {
            Files.delete(killed.resolve(name));
        }
        deleteTree(killed.resolve("checkpoints/epoch-0003"));
        deleteTree(killed.resolve("checkpoints/epoch-0004"));

        Cli resumed = Cli.run("train", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.out().contains("Resuming from ") && resumed.out().contains("epoch-0002: 2 of 4 epochs done"),
                resumed.out());
        assertFalse(resumed.out().contains("Epoch 2/4"), resumed.out());
        assertTrue(resumed.out().contains("Epoch 3/4") && resumed.out().contains("Epoch 4/4"), resumed.out());
        assertTrue(Files.isRegularFile(killed.resolve("_SUCCESS")));
        assertEquals(4, history(killed).size());
        assertEquals(history(whole), history(killed));
        JsonNode a = JsonFormat.mapper().readTree(whole.resolve("metrics.json").toFile()).get("test");
        JsonNode b = JsonFormat.mapper().readTree(killed.resolve("metrics.json").toFile()).get("test");
        assertEquals(a.get("confusion"), b.get("confusion"));
        assertEquals(Files.readString(whole.resolve("config.conf")), Files.readString(killed.resolve("config.conf")));
    }

    @Test
    void keepsTheNewestCheckpointsAndRefusesAChangedConfigurationUnlessForced() throws IOException {
        Path data = fixtureData(dir);
        Path out = dir.resolve("run");
        Cli run = train(data, out, "--set", "checkpoint.keep=2", "--set", "checkpoint.every=3");
        assertEquals(0, run.code(), run.toString());
        try (Stream<Path> list = Files.list(out.resolve("checkpoints"))) {
            assertEquals(List.of("epoch-0003", "epoch-0004"), list.map(p -> p.getFileName().toString()).sorted().toList());
        }

        Cli changed = Cli.run("train", "--resume", out.toString(), "--learning-rate", "0.1", "--set", "training.seed=7");
        assertEquals(2, changed.code(), changed.toString());
        assertEquals("error: " + out.toAbsolutePath() + ": the configuration differs from the checkpoint's ("
                        + "file:" + out.toAbsolutePath() + "/checkpoints/epoch-0004) in training.learning-rate (0.05 -> 0.1), "
                        + "training.seed (12345 -> 7); resume with the same configuration, or add --force to continue "
                        + "with the new one",
                changed.err().strip().replace("file:" + out.toAbsolutePath() + ":", out.toAbsolutePath() + ":"));

        Cli otherNetwork = Cli.run("train", "--resume", out.toString(), "--set", "network.hidden-layers=[8]", "--force");
        assertEquals(2, otherNetwork.code(), otherNetwork.toString());
        assertTrue(otherNetwork.err().contains("the network differs from the checkpoint's (") && otherNetwork.err()
                .contains(") in network.hidden-layers ([16] -> [8]); a run can only continue with the network it started with"),
                otherNetwork.err());

        Cli more = Cli.run("train", "--resume", out.toString(), "--epochs", "5", "--force");
        assertEquals(0, more.code(), more.toString());
        assertTrue(more.out().contains("Epoch 5/5"), more.out());
        assertFalse(more.out().contains("Epoch 4/5"), more.out());
        assertEquals(5, history(out).size());

        Cli none = Cli.run("train", "--resume", dir.resolve("nothing").toString());
        assertEquals(2, none.code(), none.toString());
        assertTrue(none.err().contains("nothing: no complete checkpoint to resume from"), none.err());
        assertFalse(Files.exists(dir.resolve("nothing")));
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
