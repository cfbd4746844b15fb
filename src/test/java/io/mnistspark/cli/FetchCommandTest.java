package io.mnistspark.cli;

import io.mnistspark.SharedData;
import io.mnistspark.data.LoopbackServer;
import io.mnistspark.data.MnistDownload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fetch} against a loopback mirror serving the real MNIST files, checked with the official checksums. */
class FetchCommandTest {
    @TempDir
    Path dir;

    @Test
    void fetchesTheOfficialFilesAndRejectsATamperedOne() throws IOException {
        Path mnist = SharedData.require("mnist");
        try (LoopbackServer tampered = new LoopbackServer(); LoopbackServer mirror = new LoopbackServer()) {
            for (var file : MnistDownload.FILES) {
                byte[] content = Files.readAllBytes(mnist.resolve(file.name()));
                mirror.serve(file.name(), content);
                byte[] changed = content.clone();
                changed[changed.length - 9] ^= 1;
                tampered.serve(file.name(), changed);
            }
            Path dest = dir.resolve("mnist");
            Cli run = Cli.run("fetch", "--dest", dest.toString(), "--mirror", tampered.base().toString(),
                    "--mirror", mirror.base().toString());
            assertEquals(0, run.code(), run.toString());
            for (var file : MnistDownload.FILES) {
                assertArrayEquals(Files.readAllBytes(mnist.resolve(file.name())), Files.readAllBytes(dest.resolve(file.name())));
                assertTrue(run.out().contains(file.name() + ": rejected from " + tampered.base()), run.out());
            }

            Cli onlyTampered = Cli.run("fetch", "--dest", dir.resolve("bad").toString(), "--mirror", tampered.base().toString());
            assertEquals(1, onlyTampered.code(), onlyTampered.toString());
            assertTrue(onlyTampered.err().startsWith("error: no mirror delivered train-images-idx3-ubyte.gz with the expected checksums"),
                    onlyTampered.err());
            assertFalse(Files.exists(dir.resolve("bad")), "nothing is left behind");
        }
    }

    @Test
    void rejectsAMirrorThatIsNotAUrl() {
        Cli run = Cli.run("fetch", "--dest", dir.toString(), "--mirror", "ftp.example/mnist");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--mirror ftp.example/mnist: expected an http:// or https:// URL"), run.err());
    }
}
