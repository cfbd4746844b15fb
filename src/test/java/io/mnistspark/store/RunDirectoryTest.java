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

    @Test
    void abortRemovesEverythingThisRunCreated() {
        java.nio.file.Path out = dir.resolve("failed");
        RunDirectory run = RunDirectory.open(new Path(out.toUri()), HADOOP, false);
        run.writeText("model.zip", "half");
        run.abort();
        assertFalse(Files.exists(out));
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
}
