package io.mnistspark.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsTableTest {
    private static BenchRun run(String candidate, double fit, double... accuracies) {
        List<BenchRun.Epoch> epochs = new java.util.ArrayList<>();
        for (int i = 0; i < accuracies.length; i++) {
            epochs.add(new BenchRun.Epoch(i + 1, fit, fit, 0.5, accuracies[i], 10 + 10.0 * (i + 1)));
        }
        return new BenchRun(candidate, "nielsen", "d", 1, 1000, 5, 1, epochs, 500, "0.1");
    }

    @Test
    void medianOfOddAndEvenCountsIgnoresNaN() {
        assertEquals(2.0, ResultsTable.median(new double[]{3, 1, 2}));
        assertEquals(2.5, ResultsTable.median(new double[]{4, 1, Double.NaN, 2, 3}));
        assertTrue(Double.isNaN(ResultsTable.median(new double[]{Double.NaN})));
    }

    @Test
    void secondsToTargetIsTheWallClockOfTheFirstEpochReachingIt() {
        BenchRun r = run("pipeline", 2, 0.90, 0.951, 0.94, 0.96);
        assertEquals(30.0, r.wallSecondsTo(0.95));
        assertTrue(Double.isNaN(r.wallSecondsTo(0.99)));
        assertEquals(0.96, r.finalAccuracy());
    }

    @Test
    void summaryTakesMediansOverRunsAndComparesCandidatesOnTheSameConfig() {
        ResultsTable table = new ResultsTable(List.of(
                run("pipeline", 2, 0.90, 0.96), run("pipeline", 4, 0.90, 0.94), run("pipeline", 3, 0.95, 0.97),
                run("dl4j-single-process", 5, 0.9, 0.95)), Map.of("nielsen", 0.95));
        Map<String, Object> pipeline = table.summary().get(0);
        assertEquals(3, pipeline.get("runs"));
        assertEquals(3.0, pipeline.get("fit_seconds_per_epoch"));
        assertEquals(30.0, pipeline.get("seconds_to_target")); // 30 and 20 reached; 1 run never did
        assertEquals(2L, pipeline.get("runs_reaching_target"));
        assertTrue(table.comparisons().get(0).contains("1.67x"), table.comparisons().toString());
    }

    @Test
    void peersAreComparedWithThePipelineOnTheSamePreset() {
        ResultsTable table = new ResultsTable(List.of(run("pipeline", 2, 0.90, 0.96), run("pipeline", 4, 0.90, 0.96),
                run("pytorch-cpu", 1, 0.95, 0.97), run("numpy", 8, 0.90, 0.91)), Map.of("nielsen", 0.95));
        List<String> lines = table.comparisons();
        assertTrue(lines.contains("- nielsen: pipeline with 1 worker(s) processes 0.38x the examples per second of "
                + "pytorch-cpu (1 thread(s)); fit s/epoch 3.00 against 1.00: 3.00x"), lines.toString());
        assertTrue(lines.contains("- nielsen: wall time to 95.0% test accuracy from process start: pipeline "
                + "(1 worker(s)) 30.0 s, pytorch-cpu 20.0 s"), lines.toString());
        assertTrue(lines.contains("- nielsen: wall time to 95.0% test accuracy from process start: pipeline "
                + "(1 worker(s)) 30.0 s, numpy not reached"), lines.toString());
    }

    @Test
    void peersAreComparedOnlyAtTheSameBatchSizeAndLearningRate() {
        assertEquals(ResultsTable.peerSetting("best {training.epochs=2, training.batch-size=200, training.learning-rate=0.002}"),
                ResultsTable.peerSetting("best {training.learning-rate=0.002, training.batch-size=200}"));
        assertEquals(ResultsTable.peerSetting("best {training.epochs=2}"), ResultsTable.peerSetting("best"));
        assertTrue(!ResultsTable.peerSetting("best {training.batch-size=200}").equals(ResultsTable.peerSetting("best")));
        assertTrue(!ResultsTable.peerSetting("best").equals(ResultsTable.peerSetting("fast")));
    }
}
