package io.mnistspark.cli;

import io.mnistspark.data.IdxFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --out on a small tmpfs: a disk that fills during the final outputs, and a read-only one. One line naming the
 * file and the cause, exit 1 (full) or 2 (read-only --out), no torn checkpoint or staging area, and the
 * complete checkpoint still resumes once there is room. Needs root to mount (CI runs as root); skipped with
 * the reason printed elsewhere.
 */
class FullAndReadOnlyDiskTest {
    @TempDir
    Path dir;
    private Path mount;

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = Files.createDirectories(dir.resolve("disk"));
        String failure = run("mount", "-t", "tmpfs", "-o", "size=500k", "tmpfs", mount.toString());
        if (failure != null) {
            System.out.println("FullAndReadOnlyDiskTest skipped: cannot mount a tmpfs here (" + failure + ")");
            mount = null;
        }
        Assumptions.assumeTrue(mount != null, "mounting a tmpfs is not permitted here");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            // a failed write's last tasks may still be closing their files on the disk for a moment
            String failure = run("umount", mount.toString());
            for (int i = 0; failure != null && i < 40; i++) {
                System.gc();
                Thread.sleep(250);
                failure = run("umount", mount.toString());
            }
            assertEquals(null, failure, "unmounting " + mount + " (a file still open?)");
        }
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes()).strip();
        return p.waitFor() == 0 ? null : "exit " + p.exitValue() + ": " + output;
    }

    private Path data() throws IOException {
        return IdxFixtures.writeDataset(dir.resolve("data"), IdxFixtures.learnable(600, 28, 28, 1),
                IdxFixtures.learnable(200, 28, 28, 2));
    }

    @Test
    void aDiskThatFillsUpEndsInOneLineAndTheCheckpointStillResumes() throws Exception {
        Path out = mount.resolve("run");
        // 784-100-10 without validation data (so no best-model.zip): a checkpoint of ~320 KB fits in 500 KB, the
        // final model.zip beside it does not
        Cli full = Cli.run("train", "--data", data().toString(), "--out", out.toString(), "--epochs", "1",
                "--set", "training.validation-size=0", "--set", "network.hidden-layers=[100]");
        assertEquals(1, full.code(), full.toString());
        String err = full.err().strip();
        assertEquals(1, err.lines().count(), full.toString());
        assertTrue(err.matches("error: .*: cannot write (the checkpoint )?\\(no space left on device\\); free space there "
                + "or choose another --out.*"), err);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("checkpoints"), files.map(p -> p.getFileName().toString()).toList(),
                    "no staging area, no lock, no final outputs");
        }
        try (Stream<Path> files = Files.list(out.resolve("checkpoints"))) {
            assertEquals(List.of("epoch-0001"), files.map(p -> p.getFileName().toString()).toList(), "no torn checkpoint");
        }

        assertEquals(null, run("mount", "-o", "remount,size=16m", mount.toString()));
        Cli resumed = Cli.run("train", "--resume", out.toString());
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.out().contains("1 of 1 epochs done"), resumed.out());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    @Test
    void scoringOntoADiskThatFillsUpEndsInOneLineNamingTheOutputAndLeavesNothing() throws Exception {
        Path model = dir.resolve("model.zip");
        io.mnistspark.config.RunConfig config = new io.mnistspark.config.ConfigLoader()
                .file(Path.of("conf/nielsen.conf")).load();
        try (var out = Files.newOutputStream(model)) {
            io.mnistspark.model.ModelStore.write(io.mnistspark.model.NetworkFactory.create(config.network(),
                    config.training(), 784, 10), out);
        }
        // 12000 rows of probabilities: about 1.4 MB of Parquet for a 500 KB disk
        Path images = IdxFixtures.writeRawDataset(dir.resolve("raw"), IdxFixtures.learnable(10, 28, 28, 1),
                IdxFixtures.learnable(12000, 28, 28, 2)).resolve("t10k-images-idx3-ubyte");
        Path out = mount.resolve("scored");
        Cli full = Cli.run("score", "--model", model.toString(), "--input", images.toString(), "--out", out.toString());
        assertEquals(1, full.code(), full.toString());
        String err = full.err().strip();
        assertEquals(1, err.lines().count(), full.toString());
        assertTrue(err.matches("error: .*" + java.util.regex.Pattern.quote(out.toString())
                + ".*: cannot write \\(no space left on device\\); free space there or choose another --out"), err);
        try (Stream<Path> files = Files.list(mount)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).toList(), "nothing left behind");
        }
    }

    @Test
    void aReadOnlyOutputDiskNamesTheCauseAndWritesNothing() throws Exception {
        Path data = data();
        assertEquals(null, run("mount", "-o", "remount,ro", mount.toString()));
        Cli readOnly = Cli.run("train", "--data", data.toString(), "--out", mount.resolve("run").toString(),
                "--epochs", "1");
        assertEquals(2, readOnly.code(), readOnly.toString());
        assertEquals("error: " + mount.resolve("run") + ": cannot create the output directory (read-only file system)",
                readOnly.err().strip());
        try (Stream<Path> files = Files.list(mount)) {
            assertFalse(files.findAny().isPresent());
        }
    }
}
