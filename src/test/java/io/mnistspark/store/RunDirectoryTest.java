package io.mnistspark.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirectoryTest {
    private static final Configuration HADOOP = new Configuration();

    @TempDir
    java.nio.file.Path dir;

    @Test
    void filesAppearOnlyAtCommitWithSuccessLast() throws IOException {
        java.nio.file.Path out = dir.resolve("run");
        RunDirectory run = RunDirectory.open(new Path(out.toUri()), HADOOP, false);
        run.writeText("metrics.json", "{}");
        assertFalse(Files.exists(out.resolve("metrics.json")));
        run.commit();
        assertEquals("{}", Files.readString(out.resolve("metrics.json")));
        assertTrue(Files.exists(out.resolve(RunDirectory.SUCCESS)));
        assertFalse(Files.exists(out.resolve(RunDirectory.STAGING)));
    }

    /** A reader polling the file while it is replaced again and again only ever sees a whole version. */
    @Test
    void publishedFilesAppearAtOnceAndAreReplacedWhole() throws Exception {
        java.nio.file.Path out = dir.resolve("live");
        RunDirectory run = RunDirectory.open(new Path(out.toUri()), HADOOP, false);
        java.nio.file.Path page = out.resolve("report/page.txt");
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    seen.add(Files.readString(page));
                } catch (IOException notYet) {
                    // not there before the first publish
                }
            }
        });
        reader.start();
        for (int version = 0; version < 50; version++) {
            run.publish("report/page.txt", (version + ":" + "x".repeat(100_000) + ":end").getBytes());
        }
        done.set(true);
        reader.join();
        assertTrue(seen.size() > 0);
        for (String content : seen) {
            assertTrue(content.endsWith(":end") && content.length() > 100_000, "a whole version: " + content.length());
        }
        assertTrue(Files.readString(page).startsWith("49:"));
        try (java.util.stream.Stream<java.nio.file.Path> staged = Files.list(out.resolve(RunDirectory.STAGING))) {
            assertEquals(0, staged.count(), "nothing left beside the published file");
        }
        run.commit();
        assertTrue(Files.readString(page).startsWith("49:"), "published files stay at commit");
    }

    @Test
    void abortRemovesEverythingThisRunCreated() {
        java.nio.file.Path out = dir.resolve("failed");
        RunDirectory run = RunDirectory.open(new Path(out.toUri()), HADOOP, false);
        run.writeText("model.zip", "half");
        run.abort();
        assertFalse(Files.exists(out));
    }

    @Test
    void aPublishAfterCommitOrAbortWritesNothing() throws IOException {
        java.nio.file.Path out = dir.resolve("late");
        RunDirectory run = RunDirectory.open(new Path(out.toUri()), HADOOP, false);
        run.publish("report.html", "live".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        run.writeText("report.html", "final");
        run.commit();
        run.publish("report.html", "late".getBytes(java.nio.charset.StandardCharsets.UTF_8)); // the live report's thread
        run.publish("report/accuracy.png", new byte[]{1});
        assertEquals("final", Files.readString(out.resolve("report.html")), "the final page stays");
        assertFalse(Files.exists(out.resolve("report")), "nothing new after the commit");

        java.nio.file.Path failed = dir.resolve("late-failed");
        RunDirectory aborted = RunDirectory.open(new Path(failed.toUri()), HADOOP, false);
        aborted.publish("report.html", new byte[]{1});
        aborted.abort();
        aborted.publish("report.html", new byte[]{2});
        assertFalse(Files.exists(failed), "an aborted run leaves nothing, however late its live report comes");
    }

    @Test
    void overwriteKeepsOldFilesUntilTheNewOnesAreComplete() throws IOException {
        java.nio.file.Path out = Files.createDirectories(dir.resolve("old"));
        Files.writeString(out.resolve("model.zip"), "old model");
        Files.writeString(out.resolve(RunDirectory.SUCCESS), "");
        assertThrows(OutputExistsException.class, () -> RunDirectory.open(new Path(out.toUri()), HADOOP, false));

        RunDirectory failing = RunDirectory.open(new Path(out.toUri()), HADOOP, true);
        failing.writeText("model.zip", "new but unfinished");
        failing.abort();
        assertEquals("old model", Files.readString(out.resolve("model.zip")));

        RunDirectory run = RunDirectory.open(new Path(out.toUri()), HADOOP, true);
        run.writeText("model.zip", "new model");
        run.commit();
        assertEquals("new model", Files.readString(out.resolve("model.zip")));
        assertTrue(Files.exists(out.resolve(RunDirectory.SUCCESS)));
    }

    @Test
    void refusesAFileAsOutputDirectory() throws IOException {
        java.nio.file.Path file = Files.writeString(dir.resolve("plain"), "x");
        String message = assertThrows(OutputExistsException.class,
                () -> RunDirectory.open(new Path(file.toUri()), HADOOP, true)).getMessage();
        assertTrue(message.contains("exists and is a file"), message);
    }

    /**
     * The live report's charts stay readable while the commit puts the final ones in their place: a reader
     * polling a published chart never finds it missing, and the committed directory holds exactly the staged
     * files (an old one the final report lacks is gone).
     */
    @Test
    void committingADirectoryOverPublishedFilesNeverLeavesThemMissing() throws Exception {
        for (int round = 0; round < 20; round++) {
            java.nio.file.Path out = dir.resolve("charts-" + round);
            RunDirectory run = RunDirectory.open(new Path(out.toUri()), HADOOP, false);
            run.publish("report/accuracy.png", "live".getBytes());
            run.publish("report/old.png", "live".getBytes());
            java.nio.file.Path chart = out.resolve("report/accuracy.png");
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger missing = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            Thread reader = new Thread(() -> {
                started.countDown();
                while (!done.get()) {
                    if (!Files.exists(chart)) {
                        missing.incrementAndGet();
                    }
                }
            });
            reader.start();
            started.await();
            for (int i = 0; i < 200; i++) {
                run.writeText("report/chart-" + i + ".png", "final"); // a directory of some size to move
            }
            run.writeText("report/accuracy.png", "final");
            run.commit();
            done.set(true);
            reader.join();
            assertEquals(0, missing.get(), "times the chart was missing during the commit");
            assertEquals("final", Files.readString(chart));
            assertFalse(Files.exists(out.resolve("report/old.png")), "an old file the final report lacks");
            try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(out.resolve("report"))) {
                assertEquals(201, files.count());
            }
        }
    }
}
