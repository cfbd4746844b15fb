package io.mnistspark.cli;

import io.mnistspark.data.IdxFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training driver is killed (SIGKILL, as a pre-empted driver dies) once a checkpoint exists; {@code train
 * --resume} then finishes the run with the same epochs and metrics as a run that was never interrupted, and
 * loses at most the epoch that was running.
 */
class KillAndResumeTest {
    private static final int EPOCHS = 5;

    @TempDir
    Path dir;

    private List<String> trainArgs(Path data, Path out) {
        return List.of("train", "--data", data.toString(), "--out", out.toString(), "--epochs", Integer.toString(EPOCHS),
                "--workers", "2", "--set", "spark.averaging-frequency=10", "--set", "training.validation-size=100",
                "--set", "network.hidden-layers=[32]", "--set", "training.updater=adam", "--learning-rate", "0.002");
    }

    @Test
    void aKilledDriverResumesFromItsNewestCheckpointAndEndsAsAnUninterruptedRun() throws Exception {
        Path data = IdxFixtures.writeDataset(dir.resolve("data"), IdxFixtures.learnable(800, 28, 28, 1),
                IdxFixtures.learnable(200, 28, 28, 2));
        Path out = dir.resolve("killed");
        Path log = dir.resolve("driver.log");
        Process driver = childJvm(trainArgs(data, out), log);
        Path second = out.resolve("checkpoints/epoch-0002");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!Files.isDirectory(second) && driver.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.isDirectory(second), "no checkpoint of epoch 2 appeared:\n" + Files.readString(log));
        driver.destroyForcibly();
        assertTrue(driver.waitFor(1, TimeUnit.MINUTES));
        assertFalse(Files.exists(out.resolve("_SUCCESS")), "the driver finished before it was killed:\n" + Files.readString(log));
        assertFalse(Files.exists(out.resolve("metrics.json")), "no final outputs from a killed run");
        long printed = Files.readAllLines(log).stream().filter(l -> l.startsWith("Epoch ")).count();

        Cli resumed = Cli.run("train", "--resume", out.toString());
        assertEquals(0, resumed.code(), resumed.toString());
        int resumedFrom = Integer.parseInt(resumed.out().replaceAll("(?s).*: (\\d+) of " + EPOCHS + " epochs done.*", "$1"));
        // every epoch the killed driver reported was checkpointed before it was reported
        assertTrue(resumedFrom >= printed && resumedFrom >= 2, "resumed from epoch " + resumedFrom + " after "
                + printed + " reported epochs:\n" + resumed);
        System.out.printf("kill-and-resume: killed after %d reported epochs, resumed from epoch %d: %d finished epochs lost%n",
                printed, resumedFrom, printed - resumedFrom);

        Path whole = dir.resolve("whole");
        Cli uninterrupted = Cli.run(trainArgs(data, whole).toArray(String[]::new));
        assertEquals(0, uninterrupted.code(), uninterrupted.toString());
        assertEquals(EPOCHS, ResumeTest.history(out).size());
        assertEquals(ResumeTest.history(whole), ResumeTest.history(out));
    }

    /** {@code io.mnistspark.cli.Main ARGS} in a JVM of its own, with this JVM's classpath and module flags. */
    static Process childJvm(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-opens") || flag.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                    || flag.startsWith("-Djdk.reflect") || flag.startsWith("-Dlog4j2") || flag.startsWith("-Dspark.ui")) {
                command.add(flag);
            }
        }
        command.add("-Dspark.ui.enabled=false");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        command.add("-cp");
        command.add(classpath.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator));
        command.add(Main.class.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }
}
