package io.mnistspark.cli;

import io.mnistspark.store.RunDirectory;
import io.mnistspark.train.Checkpoints;

import java.io.PrintWriter;

/**
 * Ctrl-C (SIGINT) and SIGTERM in the command-line tool: one line saying where the run stopped and how to go on,
 * exit code 130 or 143. A checkpoint being written is finished first, the run directory's staging area and lock
 * are removed, and the complete checkpoints stay; the failures that Spark's shutdown then causes in the
 * command itself are not printed.
 */
final class Interruption {
    static final int SIGINT_EXIT = 130;
    static final int SIGTERM_EXIT = 143;

    private static volatile boolean stopping;
    private static volatile RunDirectory run;
    private static volatile String resumeTarget;
    private static volatile int epoch;
    private static volatile boolean resumable;

    private Interruption() {
    }

    /** Installs the handlers (the launcher's JVM only: tests running commands in-process keep theirs). */
    static void install(PrintWriter err) {
        handle("INT", SIGINT_EXIT, err);
        handle("TERM", SIGTERM_EXIT, err);
    }

    private static void handle(String name, int exitCode, PrintWriter err) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop(exitCode, err));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the JVM keeps this signal (-Xrs): its default handling applies
        }
    }

    private static void stop(int exitCode, PrintWriter err) {
        if (stopping) {
            return;
        }
        stopping = true;
        synchronized (Checkpoints.WRITING) { // a checkpoint under way completes; none starts after it
            err.println("error: " + line());
            err.flush();
            // the failures Spark logs, or its threads print, while its shutdown stops the jobs under way are
            // no news after this line
            silenceLogging();
            Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> { });
            System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            RunDirectory directory = run;
            if (directory != null) {
                try {
                    directory.abort();
                } catch (RuntimeException e) {
                    // the lock stays: the next run on this host takes it over
                }
            }
            Runtime.getRuntime().exit(exitCode);
        }
    }

    private static void silenceLogging() {
        try {
            scala.Option<org.apache.spark.SparkContext> active = org.apache.spark.SparkContext$.MODULE$.getActive();
            if (active.isDefined()) {
                active.get().setLogLevel("OFF");
            }
        } catch (RuntimeException | LinkageError e) {
            // no Spark: nothing logs
        }
    }

    static String line() {
        if (resumeTarget == null) {
            return "interrupted; nothing was written";
        }
        if (epoch == 0) {
            return "interrupted before training started" + (resumable
                    ? "; resume with: train --resume " + resumeTarget : "; nothing was written");
        }
        return "interrupted in epoch " + epoch + (resumable ? "; resume with: train --resume " + resumeTarget
                : " before the first checkpoint; nothing to resume: start the run again");
    }

    /** Whether an interrupt is ending the JVM (the command's own failure is then not reported). */
    static boolean stopping() {
        return stopping;
    }

    /** The run directory an interrupt aborts (evaluate, score). */
    static void watch(RunDirectory directory) {
        run = directory;
    }

    /**
     * A training run in {@code directory}, continued with {@code train --resume resumeTarget}.
     *
     * @param hasCheckpoint whether the run already has a complete checkpoint (a resumed run)
     */
    static void watchTraining(RunDirectory directory, String target, boolean hasCheckpoint) {
        run = directory;
        resumeTarget = target;
        resumable = hasCheckpoint;
        epoch = 0;
    }

    static void epochStarted(int started) {
        epoch = started;
    }

    static void checkpointWritten() {
        resumable = true;
    }

    /** The command ended: nothing to abort any more. */
    static void done() {
        run = null;
        resumeTarget = null;
        epoch = 0;
        resumable = false;
    }
}
