package io.mnistspark.train;

import io.mnistspark.TestSpark;
import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.data.ImageBlocks;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistributedTrainerTest {
    private static final LabeledImages TRAIN = IdxFixtures.learnable(600, 8, 8, 11);
    private static final LabeledImages VALIDATION = IdxFixtures.learnable(100, 8, 8, 12);
    private static final LabeledImages TEST = IdxFixtures.learnable(100, 8, 8, 13);

    @TempDir
    java.nio.file.Path dir;

    /** Trains on the fixtures with a small network; {@code keysAndValues} override its settings. */
    private TrainingOutcome train(List<EpochResult> seen, String... keysAndValues) {
        ConfigLoader loader = new ConfigLoader().override("network.hidden-layers", "[12]")
                .override("training.learning-rate", "1.0")
                .override("spark.workers", "2")
                .override("spark.averaging-frequency", "3");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            loader.override(keysAndValues[i], keysAndValues[i + 1]);
        }
        RunConfig config = loader.load();
        try (TrainingData data = TrainingData.of(TestSpark.context(), ImageBlocks.of(TestSpark.context(), TRAIN),
                ImageBlocks.of(TestSpark.context(), VALIDATION), ImageBlocks.of(TestSpark.context(), TEST), 0, "fixture")) {
            return new DistributedTrainer(TestSpark.context(), config, new Path(dir.resolve("scratch").toUri()))
                    .train(data, (result, total) -> seen.add(result));
        }
    }

    @Test
    void twoWorkersWithTheSameSeedRepeatExactly() {
        List<EpochResult> seen = new ArrayList<>();
        TrainingOutcome first = train(seen, "training.epochs", "3");
        TrainingOutcome second = train(new ArrayList<>(), "training.epochs", "3");
        TrainingOutcome otherSeed = train(new ArrayList<>(), "training.epochs", "3", "training.seed", "99");

        assertArrayEquals(first.network().params().toFloatVector(), second.network().params().toFloatVector());
        assertEquals(first.history(), second.history().stream().map(r -> new EpochResult(r.epoch(), r.trainLoss(),
                r.validationAccuracy(), r.testAccuracy(), r.testCorrect(), r.testTotal(),
                first.history().get(r.epoch() - 1).seconds(), first.history().get(r.epoch() - 1).evaluationSeconds())).toList());
        assertFalse(java.util.Arrays.equals(first.network().params().toFloatVector(),
                otherSeed.network().params().toFloatVector()));

        assertEquals(first.history(), seen, "the listener hears every epoch");
        EpochResult last = first.history().get(2);
        assertNotNull(last.validationAccuracy());
        assertTrue(last.trainLoss() < first.history().get(0).trainLoss(), "the loss falls");
        assertTrue(last.testAccuracy() > 0.6, "learnable fixtures: " + last.testAccuracy());
        assertEquals(100, first.finalTest().total());
    }

    @Test
    void exportApproachTrainsAndLeavesNoTemporaryFiles() throws Exception {
        TrainingOutcome outcome = train(new ArrayList<>(), "training.epochs", "2",
                "spark.rdd-training-approach", "export");
        assertTrue(outcome.finalTest().accuracy() > 0.5, "accuracy " + outcome.finalTest().accuracy());
        // DL4J created scratch/export/... for its files (so scratch exists) and the trainer deleted them
        assertTrue(Files.isDirectory(dir.resolve("scratch")), "export wrote under the scratch directory");
        assertFalse(Files.exists(dir.resolve("scratch/export")), "the exported mini-batches are deleted after each epoch");
    }

    @Test
    void aDivergingRunStopsWithTheEpochNamed() {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> train(new ArrayList<>(),
                "training.epochs", "2", "network.activation", "relu", "network.output-activation", "softmax",
                "network.loss", "cross-entropy", "training.learning-rate", "1e30"));
        assertTrue(e.getMessage().startsWith("training diverged in epoch 1"), e.getMessage());
    }
}
