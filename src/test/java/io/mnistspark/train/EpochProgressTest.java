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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * One averaging per epoch: each worker fits its whole share in one Spark task, so the driver's accumulator
     * only grows when the epoch ends. The count must still move while the task runs, from the executors'
     * heartbeats ({@code spark.executor.heartbeatInterval} = 1 s, as every command sets it).
     */
    @ParameterizedTest(name = "{0} worker(s)")
    @ValueSource(ints = {1, 2})
    void theCountMovesWhileTheTasksOfAnEpochRun(int workers) throws Exception {
        // three blocks of 1000 images per worker: each worker fits 3000 one-image steps in one task, several
        // seconds even on a quiet machine, so several 1 s heartbeats arrive inside the epoch. With DL4J's own
        // layers: the fused ones take half that, and more steps or units would pass the test context's 4 MB
        // result limit (every worker returns its parameters and DL4J's per-step statistics)
        LabeledImages slow = IdxFixtures.learnable(3000 * workers, 28, 28, 23);
        LabeledImages test = IdxFixtures.learnable(50, 28, 28, 24);
        RunConfig config = new ConfigLoader().override("network.hidden-layers", "[300, 300]")
                .override("training.epochs", "1").override("training.validation-size", "0")
                .override("training.batch-size", "1").override("spark.training-loss", "running")
                .override("training.fused-layers", "false")
                .override("spark.workers", Integer.toString(workers))
                .override("spark.averaging-frequency", "100000").load();
        List<Long> counts = new java.util.concurrent.CopyOnWriteArrayList<>();
        long[] total = new long[1];
        Thread[] sampler = new Thread[1];
        try (TrainingData data = TrainingData.of(TestSpark.context(), ImageBlocks.of(TestSpark.context(), slow), null,
                ImageBlocks.of(TestSpark.context(), test), 0, "fixture")) {
            TrainingOutcome outcome = new DistributedTrainer(TestSpark.context(), config,
                    new Path(dir.resolve("scratch").toUri())).train(data, new EpochListener() {
                @Override
                public void epochStarted(EpochProgress progress) {
                    total[0] = progress.examples();
                    sampler[0] = new Thread(() -> {
                        while (!progress.fitFinished()) {
                            long done = progress.examplesDone();
                            if (!progress.fitFinished() && (counts.isEmpty() || counts.get(counts.size() - 1) != done)) {
                                counts.add(done);
                            }
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    sampler[0].start();
                }

                @Override
                public void epochFinished(EpochResult result, int totalEpochs) {
                }
            });
            sampler[0].join();
            assertEquals(1, outcome.averaging().get(0).averagings(), "one averaging round in the epoch");
            System.out.println(workers + " worker(s): counts seen during the epoch " + counts + " of " + total[0]
                    + " in " + outcome.history().get(0).seconds() + " s");
        }
        List<Long> inside = counts.stream().filter(c -> c > 0 && c < total[0]).toList();
        assertTrue(inside.size() >= 3, "at least 3 counts between 0 and " + total[0] + " before the epoch ends: " + counts);
        for (int i = 1; i < counts.size(); i++) {
            assertTrue(counts.get(i) > counts.get(i - 1), "strictly increasing: " + counts);
        }
    }

    @Test
    void statisticsCanBeSwitchedOff() {
        TrainingOutcome outcome = train((result, total) -> { }, "spark.training-stats", "false", "training.epochs", "1");
        assertTrue(outcome.averaging().isEmpty());
    }
}
