package io.mnistspark.cli;

import io.mnistspark.data.IdxFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training child process holds its --out: a second train on it, even with --overwrite, is refused naming the
 * holder. SIGTERM then ends the child with exit 143 and one line saying how to resume, leaving its complete
 * checkpoints, no torn ones, no staging area and no lock; the resume finishes the run.
 */
class InterruptTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunIsRefusedAndSigtermEndsWithOneLineAndResumableCheckpoints() throws Exception {
        Path data = IdxFixtures.writeDataset(dir.resolve("data"), IdxFixtures.learnable(800, 28, 28, 1),
                IdxFixtures.learnable(200, 28, 28, 2));
        Path out = dir.resolve("run");
        Path log = dir.resolve("driver.log");
        Process driver = KillAndResumeTest.childJvm(List.of("train", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "500", "--workers", "2", "--set", "training.validation-size=100",
                "--set", "network.hidden-layers=[16]"), log);
        try {
            Path first = out.resolve("checkpoints/epoch-0001");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.isDirectory(first) && driver.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.isDirectory(first), "no checkpoint appeared:\n" + Files.readString(log));

            Cli second = Cli.run("train", "--data", data.toString(), "--out", out.toString(), "--overwrite",
                    "--epochs", "1");
            assertEquals(2, second.code(), second.toString());
            assertTrue(second.err().strip().matches("error: .*run: in use by the run of pid " + driver.pid()
                    + " on .+ started .+; wait for it to finish or choose another --out"), second.err());
            assertTrue(driver.isAlive(), "the refused run left the first one alone:\n" + Files.readString(log));

            driver.destroy(); // SIGTERM
            assertTrue(driver.waitFor(1, TimeUnit.MINUTES));
            assertEquals(143, driver.exitValue(), Files.readString(log));
        } finally {
            driver.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log);
        List<String> errors = lines.stream().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), String.join("\n", lines));
        assertTrue(errors.get(0).matches("error: interrupted in epoch \\d+; resume with: train --resume " + out),
                errors.get(0));
        assertTrue(lines.stream().noneMatch(l -> l.contains("Exception") || l.startsWith("\tat ")),
                "no stack trace, no exception:\n" + String.join("\n", lines));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("checkpoints"), files.map(p -> p.getFileName().toString()).toList(),
                    "no staging area, no lock: only the checkpoints");
        }
        List<String> checkpoints;
        try (Stream<Path> files = Files.list(out.resolve("checkpoints"))) {
            checkpoints = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(checkpoints.stream().allMatch(name -> name.matches("epoch-\\d{4}")), "no torn checkpoint: " + checkpoints);
        int newest = Integer.parseInt(checkpoints.get(checkpoints.size() - 1).substring(6));

        Cli resumed = Cli.run("train", "--resume", out.toString(), "--epochs", Integer.toString(newest + 1), "--force");
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertFalse(Files.exists(out.resolve("_LOCK")));
    }
}
