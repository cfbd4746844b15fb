package io.mnistspark.cli;

import io.mnistspark.config.RunConfig;
import io.mnistspark.store.JsonFormat;
import io.mnistspark.store.Provenance;
import io.mnistspark.store.ReportWriter;
import io.mnistspark.store.RunDirectory;
import io.mnistspark.train.EpochListener;
import io.mnistspark.train.EpochResult;
import io.mnistspark.train.RunMetrics;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html} while the run trains: rewritten after every epoch from the epochs so far, marked
 * {@code in progress: epoch K of N} and reloading itself; the final report replaces it when the run ends. A
 * report that cannot be written costs one warning, never the training. The pages are drawn on a thread of their
 * own, in epoch order, so that the next epoch does not wait for the charts (0.15-0.35 s an epoch of
 * {@code conf/fast.conf}); {@link #finish} waits for them before the final report.
 */
final class LiveReport implements EpochListener, AutoCloseable {
    private final RunDirectory run;
    private final RunConfig config;
    private final Provenance provenance;
    private final int inputs;
    private final PrintWriter err;
    private final List<EpochResult> history;
    private final long startNanos = System.nanoTime();
    private final RunMetrics.DataSummary data;
    private volatile boolean warned;
    private final java.util.concurrent.ExecutorService drawing = java.util.concurrent.Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "live report");
        thread.setDaemon(true);
        return thread;
    });

    /** @param history the epochs a resumed run did before (empty for a new one) */
    LiveReport(RunDirectory run, RunConfig config, Provenance provenance, int inputs, List<EpochResult> history,
               PrintWriter err, RunMetrics.DataSummary data) {
        this.data = data;
        this.run = run;
        this.config = config;
        this.provenance = provenance;
        this.inputs = inputs;
        this.history = new ArrayList<>(history);
        this.err = err;
    }

    @Override
    public void epochFinished(EpochResult result, int totalEpochs) {
        history.add(result);
        EpochResult best = history.stream().max(Comparator.comparingDouble(EpochResult::testAccuracy)
                .thenComparing(Comparator.comparingInt(EpochResult::epoch).reversed())).orElseThrow();
        RunMetrics metrics = new RunMetrics(config.asMap(), provenance, List.copyOf(history),
                new RunMetrics.Best(best.epoch(), best.testAccuracy()), null, null, null,
                RunMetrics.Timing.of(Math.round((System.nanoTime() - startNanos) / 1e6) / 1e3, Map.of(), List.of()), data);
        String json = JsonFormat.write(metrics);
        String generated = "Written by mnist-spark train at " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + ", while training.";
        String progress = progress(result.epoch(), totalEpochs);
        try {
            drawing.execute(() -> draw(json, generated, progress));
        } catch (java.util.concurrent.RejectedExecutionException finished) {
            // the run is over: the final report is being written
        }
    }

    private void draw(String json, String generated, String progress) {
        try {
            ReportWriter.writeInProgress(run, json, inputs, generated, progress);
        } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
            // a signal arrived while the page was written: the run ends with its own line (Interruption)
            if (!warned && !Interruption.stopping()) {
                err.println("warning: report.html not updated during training (" + e + "); it is written at the end");
                err.flush();
                warned = true;
            }
        }
    }

    /** Waits for the pages of the epochs so far to be drawn (before the final report replaces them). */
    void finish() {
        drawing.shutdown();
        try {
            drawing.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops drawing (a run that failed: its directory writes nothing more, see {@link RunDirectory#publish}). */
    @Override
    public void close() {
        drawing.shutdownNow();
    }

    /** {@code in progress: epoch 3 of 30}. */
    static String progress(int epoch, int totalEpochs) {
        return String.format(Locale.ROOT, "in progress: epoch %d of %d", epoch, totalEpochs);
    }
}
