package io.mnistspark.cli;

import io.mnistspark.train.EpochListener;
import io.mnistspark.train.EpochProgress;
import io.mnistspark.train.EpochResult;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The console during training: Nielsen's line after every epoch and, while an epoch is being fitted, how far
 * it is (examples done / total, examples per second, ETA). On a terminal that is one line rewritten in place
 * twice a second and erased before the epoch line; otherwise (CI logs, files) a plain line every
 * {@code intervalMillis}, so that logs stay short.
 */
final class ProgressReporter implements EpochListener, AutoCloseable {
    static final long TERMINAL_INTERVAL_MILLIS = 500;
    static final long LOG_INTERVAL_MILLIS = 10_000;

    private final PrintWriter out;
    private final boolean terminal;
    private final long intervalMillis;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "mnist-spark progress");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> ticks;
    private int shownWidth;

    /**
     * @param terminal true when {@code out} is an interactive terminal ({@code System.console() != null})
     */
    ProgressReporter(PrintWriter out, boolean terminal, long intervalMillis) {
        this.out = out;
        this.terminal = terminal;
        this.intervalMillis = intervalMillis;
    }

    static ProgressReporter forConsole(PrintWriter out) {
        boolean terminal = System.console() != null;
        return new ProgressReporter(out, terminal, terminal ? TERMINAL_INTERVAL_MILLIS : LOG_INTERVAL_MILLIS);
    }

    @Override
    public synchronized void epochStarted(EpochProgress progress) {
        stopTicks();
        ticks = ticker.scheduleAtFixedRate(() -> tick(progress), intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void epochFinished(EpochResult result, int totalEpochs) {
        stopTicks();
        erase();
        out.println(ConsoleLines.epoch(result, totalEpochs));
        out.flush();
    }

    private synchronized void tick(EpochProgress progress) {
        if (progress.fitFinished()) {
            if (terminal) {
                show(String.format(Locale.ROOT, "Epoch %d/%d: evaluating", progress.epoch(), progress.totalEpochs()));
            }
            return;
        }
        String line = line(progress.epoch(), progress.totalEpochs(), progress.examplesDone(), progress.examples(),
                progress.elapsedSeconds());
        if (terminal) {
            show(line);
        } else {
            out.println(line);
            out.flush();
        }
    }

    /** {@code Epoch 3/30: 25000 / 50000 examples (50%)  8312 examples/s  ETA 3 s}. */
    static String line(int epoch, int totalEpochs, long done, long total, double elapsedSeconds) {
        String head = String.format(Locale.ROOT, "Epoch %d/%d: %d / %d examples (%d%%)", epoch, totalEpochs, done,
                total, total == 0 ? 0 : Math.round(100.0 * done / total));
        if (done == 0 || elapsedSeconds <= 0) {
            return head + "  starting";
        }
        double rate = done / elapsedSeconds;
        long eta = Math.round((total - done) / rate);
        return head + String.format(Locale.ROOT, "  %.0f examples/s  ETA %s", rate, duration(eta));
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
    }

    /** Rewrites the terminal line: carriage return, the text, blanks over what was longer before. */
    private void show(String line) {
        StringBuilder s = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < shownWidth; i++) {
            s.append(' ');
        }
        out.print(s);
        out.flush();
        shownWidth = line.length();
    }

    private void erase() {
        if (terminal && shownWidth > 0) {
            out.print("\r" + " ".repeat(shownWidth) + "\r");
            shownWidth = 0;
        }
    }

    private void stopTicks() {
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
    }

    @Override
    public synchronized void close() {
        stopTicks();
        erase();
        out.flush();
        ticker.shutdownNow();
    }
}
