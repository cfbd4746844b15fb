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

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpochProgressTest {
    /** Two blocks of 1000 images, one a worker: DL4J fits at most averaging-frequency batches a worker a round. */
    private static final LabeledImages TRAIN = IdxFixtures.learnable(2000, 8, 8, 21);
    private static final LabeledImages TEST = IdxFixtures.learnable(50, 8, 8, 22);

    @TempDir
    java.nio.file.Path dir;

    private TrainingOutcome train(EpochListener listener, String... keysAndValues) {
        ConfigLoader loader = new ConfigLoader().override("network.hidden-layers", "[8]")
                .override("training.epochs", "2").override("training.validation-size", "0")
                .override("spark.workers", "2").override("spark.averaging-frequency", "50");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            loader.override(keysAndValues[i], keysAndValues[i + 1]);
        }
        RunConfig config = loader.load();
        try (TrainingData data = TrainingData.of(TestSpark.context(), ImageBlocks.of(TestSpark.context(), TRAIN), null,
                ImageBlocks.of(TestSpark.context(), TEST), 0, "fixture")) {
            return new DistributedTrainer(TestSpark.context(), config, new Path(dir.resolve("scratch").toUri()))
                    .train(data, listener);
        }
    }

    @Test
    void everyEpochCountsItsFittedExamplesFromZeroToAll() {
        List<long[]> seen = new ArrayList<>();
        List<EpochProgress> started = new ArrayList<>();
        TrainingOutcome outcome = train(new EpochListener() {
            @Override
            public void epochStarted(EpochProgress progress) {
                assertEquals(0, progress.examplesDone());
                assertFalse(progress.fitFinished());
                started.add(progress);
            }

            @Override
            public void epochFinished(EpochResult result, int totalEpochs) {
                EpochProgress p = started.get(result.epoch() - 1);
                seen.add(new long[]{p.epoch(), p.examplesDone(), p.examples(), p.fitFinished() ? 1 : 0});
            }
        });
        assertEquals(2, seen.size());
        for (long[] s : seen) {
            assertEquals(2000, s[2], "the epoch's examples");
            assertEquals(2000, s[1], "all fitted by the end of epoch " + s[0]);
            assertEquals(1, s[3]);
        }
        assertEquals(2, outcome.averaging().size(), "training statistics for each epoch");
        AveragingTimes first = outcome.averaging().get(0);
        assertEquals(1, first.epoch());
        assertEquals(2, first.averagings(), "2000 examples in rounds of 2 workers x 50 batches of 10: " + first);
        assertEquals(200, first.miniBatches(), "the workers' statistics count the batches the hook counted");
        assertTrue(first.workerFitSeconds() > 0 && first.aggregateSeconds() >= first.workerFitSeconds(), first.toString());
        assertEquals(first.averagings(), outcome.averaging().get(1).averagings(), "the same rounds every epoch");
    }

    @Test
    void statisticsCanBeSwitchedOff() {
        TrainingOutcome outcome = train((result, total) -> { }, "spark.training-stats", "false", "training.epochs", "1");
        assertTrue(outcome.averaging().isEmpty());
    }
}
