package io.mnistspark.cli;

import io.mnistspark.train.RunningTaskCounts;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The console while {@code score} runs: images scored out of the total, images per second and ETA, from the
 * scorers' accumulator as the executors' heartbeats carry it ({@link RunningTaskCounts}), so that a long task
 * still moves the count. Like training's {@link ProgressReporter}: one line rewritten in place on a terminal
 * (twice a second) and erased at the end; in logs a plain line every {@code intervalMillis} (10 s).
 */
final class ScoreProgress implements AutoCloseable {
    private final PrintWriter out;
    private final boolean terminal;
    private final long total;
    private final LongSupplier done;
    private final Runnable detach;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "mnist-spark score progress");
        thread.setDaemon(true);
        return thread;
    });
    private int shownWidth;
    private boolean closed;

    ScoreProgress(PrintWriter out, boolean terminal, long intervalMillis, long total, LongSupplier done, Runnable detach) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
        this.done = done;
        this.detach = detach;
        ticker.scheduleAtFixedRate(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Follows {@code scored} in the jobs started from now on, out of {@code total} images; {@code intervalMillis}
     * 0 takes ProgressReporter's (a terminal's or a log's).
     */
    static ScoreProgress follow(SparkContext sc, LongAccumulator scored, long total, PrintWriter out, long intervalMillis) {
        boolean terminal = System.console() != null;
        long interval = intervalMillis > 0 ? intervalMillis
                : terminal ? ProgressReporter.TERMINAL_INTERVAL_MILLIS : ProgressReporter.LOG_INTERVAL_MILLIS;
        RunningTaskCounts counts = new RunningTaskCounts(scored.id());
        sc.addSparkListener(counts);
        return new ScoreProgress(out, terminal, interval, total, () -> Math.min(total, counts.total()),
                () -> sc.removeSparkListener(counts));
    }

    private synchronized void tick() {
        if (closed) {
            return;
        }
        String line = line(done.getAsLong(), total, (System.nanoTime() - startNanos) / 1e9);
        if (terminal) {
            StringBuilder s = new StringBuilder("\r").append(line);
            for (int i = line.length(); i < shownWidth; i++) {
                s.append(' ');
            }
            out.print(s);
            shownWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** {@code Scoring: 25000 / 70000 images (36%)  8312 images/s  ETA 5 s}. */
    static String line(long done, long total, double elapsedSeconds) {
        String head = String.format(Locale.ROOT, "Scoring: %d / %d images (%d%%)", done, total,
                total == 0 ? 0 : Math.round(100.0 * done / total));
        if (done == 0 || elapsedSeconds <= 0) {
            return head + "  starting";
        }
        double rate = done / elapsedSeconds;
        return head + String.format(Locale.ROOT, "  %.0f images/s  ETA %s", rate,
                ProgressReporter.duration(Math.round((total - done) / rate)));
    }

    @Override
    public synchronized void close() {
        closed = true;
        ticker.shutdownNow();
        detach.run();
        if (terminal && shownWidth > 0) {
            out.print("\r" + " ".repeat(shownWidth) + "\r");
            shownWidth = 0;
        }
        out.flush();
    }
}
