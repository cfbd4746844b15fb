package io.mnistspark.cli;

import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import io.mnistspark.data.IdxHeader;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.model.ModelStore;
import io.mnistspark.model.NetworkFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input a user can give: exit code 2, one line {@code error: FILE-or-KEY: problem}, no stack trace,
 * and nothing written anywhere (the whole working directory is compared before and after).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private Path root;
    private final List<String> table = new ArrayList<>();

    /** One row: what is wrong, how to make it in a fresh directory, and the message expected (a regex). */
    record Case(String name, Setup setup, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Setup {
        /** Prepares the inputs in {@code dir} (a good data set is in {@code dir/data}) and returns the arguments. */
        List<String> prepare(Path dir) throws IOException;
    }

    @BeforeAll
    void createRoot() throws IOException {
        root = Files.createTempDirectory("bad-inputs");
    }

    @AfterAll
    void printTable() throws IOException {
        System.out.println("| bad input | message (exit code 2) |\n|---|---|");
        table.forEach(System.out::println);
        ResumeTest.deleteTree(root);
    }

    static List<String> train(Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", dir.resolve("data").toString(),
                "--out", dir.resolve("out").toString(), "--epochs", "1", "--set", "training.validation-size=100"));
        args.addAll(Arrays.asList(more));
        return args;
    }

    static Path data(Path dir, String file) {
        return dir.resolve("data").resolve(file);
    }

    static byte[] images(int magic, int count, int rows, int columns) {
        return IdxFixtures.imagesBytes(magic, count, rows, columns, new byte[Math.max(0, count * rows * columns)]);
    }

    static void writeModel(Path file, int inputs) throws IOException {
        RunConfig config = new ConfigLoader().override("network.hidden-layers", "[8]").load();
        try (OutputStream out = Files.newOutputStream(file)) {
            ModelStore.write(NetworkFactory.create(config.network(), config.training(), inputs, 10), out);
        }
    }

    static Stream<Case> cases() {
        String images = "train-images-idx3-ubyte.gz";
        String labels = "train-labels-idx1-ubyte.gz";
        return Stream.of(
                new Case("truncated gzip", dir -> {
                    byte[] gz = Files.readAllBytes(data(dir, images));
                    Files.write(data(dir, images), Arrays.copyOf(gz, gz.length / 2));
                    return train(dir);
                }, images + ": truncated gzip data \\(the file ends before the compressed stream does\\)"),
                new Case("gzip that is not gzip", dir -> {
                    Files.writeString(data(dir, images), "these are not the images you are looking for");
                    return train(dir);
                }, images + ": not gzip data \\(the name ends in .gz but the file starts with neither the gzip bytes 1f 8b nor an IDX header\\)"),
                new Case("corrupt gzip stream", dir -> {
                    byte[] gz = Files.readAllBytes(data(dir, images));
                    for (int i = 20; i < 60; i++) {
                        gz[i] = (byte) 0xff;
                    }
                    Files.write(data(dir, images), gz);
                    return train(dir);
                }, images + ": corrupt gzip data \\(.+\\)"),
                new Case("wrong magic number", dir -> {
                    Files.write(data(dir, images), IdxFixtures.gzip(images(0x0804, 600, 28, 28)));
                    return train(dir);
                }, images + ": not an IDX images file \\(magic number 2052, expected 2051\\)"),
                new Case("wrong image size (test 20x20, train 28x28)", dir -> {
                    Files.write(data(dir, "t10k-images-idx3-ubyte.gz"), IdxFixtures.gzip(images(IdxHeader.IMAGES_MAGIC, 200, 20, 20)));
                    return train(dir);
                }, "t10k-images-idx3-ubyte.gz: images are 20x20 but the training images in .+ are 28x28"),
                new Case("invalid image size (0 rows)", dir -> {
                    Files.write(data(dir, images), IdxFixtures.gzip(images(IdxHeader.IMAGES_MAGIC, 600, 0, 28)));
                    return train(dir);
                }, images + ": image size 0x28 is not a valid image size"),
                new Case("images file longer than its header says", dir -> {
                    Files.write(data(dir, images), IdxFixtures.gzip(IdxFixtures.imagesBytes(IdxHeader.IMAGES_MAGIC, 599, 28, 28,
                            new byte[600 * 784])));
                    Files.write(data(dir, labels), IdxFixtures.gzip(IdxFixtures.labelsBytes(IdxHeader.LABELS_MAGIC, 599, new byte[599])));
                    return train(dir);
                }, images + ": 784 bytes of data after the 599 images of 28x28 the header declares"),
                new Case("zero images", dir -> {
                    Files.write(data(dir, images), IdxFixtures.gzip(images(IdxHeader.IMAGES_MAGIC, 0, 28, 28)));
                    return train(dir);
                }, images + ": contains 0 images, expected at least 1"),
                new Case("image/label count mismatch", dir -> {
                    Files.write(data(dir, labels), IdxFixtures.gzip(IdxFixtures.labelsBytes(IdxHeader.LABELS_MAGIC, 599, new byte[599])));
                    return train(dir);
                }, labels + ": holds 599 labels but .+" + images + " holds 600 images"),
                new Case("label outside network.classes", dir -> {
                    byte[] values = new byte[600];
                    values[417] = 10;
                    Files.write(data(dir, labels), IdxFixtures.gzip(IdxFixtures.labelsBytes(IdxHeader.LABELS_MAGIC, 600, values)));
                    return train(dir, "--set", "network.classes=10");
                }, labels + ": label 10 at index 417 is outside 0-9 \\(network.classes = 10\\)"),
                new Case("unreadable file", dir -> {
                    makeUnreadable(data(dir, labels));
                    return train(dir);
                }, labels + ": cannot read \\(.+\\)"),
                new Case("missing file", dir -> {
                    Files.delete(data(dir, "t10k-labels-idx1-ubyte.gz"));
                    return train(dir);
                }, "data: missing t10k-labels-idx1-ubyte.gz \\(or raw\\); an MNIST-format directory holds train-images-idx3-ubyte, .+"),
                new Case("directory without the four files", dir -> {
                    Files.createDirectories(dir.resolve("empty"));
                    return List.of("train", "--data", dir.resolve("empty").toString(), "--out", dir.resolve("out").toString());
                }, "empty: holds none of the four MNIST-format files train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                        + "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte \\(.gz or raw\\)"),
                new Case("data directory missing", dir -> List.of("train", "--data", dir.resolve("absent").toString(),
                        "--out", dir.resolve("out").toString()), "absent: data directory not found"),
                new Case("config with an unknown key", dir -> {
                    Files.writeString(dir.resolve("run.conf"), "training {\n  epochs = 1\n  learning-rat = 0.5\n}\n");
                    return train(dir, "--conf", dir.resolve("run.conf").toString());
                }, ".*run.conf:3: unknown key 'training.learning-rat' \\(known keys in training: .+\\)"),
                new Case("config value of the wrong type", dir -> {
                    Files.writeString(dir.resolve("run.conf"), "training.batch-size = ten\n");
                    return train(dir, "--conf", dir.resolve("run.conf").toString());
                }, ".*run.conf:1: training.batch-size = \"ten\": expected a whole number >= 1"),
                new Case("negative learning rate", dir -> train(dir, "--learning-rate", "-0.5"),
                        "command line \\(training.learning-rate\\): training.learning-rate = -0.5: must be a finite number > 0"),
                new Case("zero batch size", dir -> train(dir, "--batch-size", "0"),
                        "command line \\(training.batch-size\\): training.batch-size = 0: must be >= 1"),
                new Case("zero checkpoint interval", dir -> train(dir, "--set", "checkpoint.every=0"),
                        "command line \\(checkpoint.every\\): checkpoint.every = 0: must be >= 1"),
                new Case("configuration file missing", dir -> train(dir, "--conf", dir.resolve("nope.conf").toString()),
                        ".*nope.conf: configuration file not found"),
                new Case("--out existing without --overwrite", dir -> {
                    Files.createDirectories(dir.resolve("out"));
                    Files.writeString(dir.resolve("out/model.zip"), "an earlier run's model");
                    return train(dir);
                }, "out: output directory exists already; use --overwrite to replace it or choose another --out"),
                new Case("--out not writable", dir -> {
                    Files.writeString(dir.resolve("a-file"), "not a directory");
                    return List.of("train", "--data", dir.resolve("data").toString(), "--out",
                            dir.resolve("a-file/out").toString(), "--epochs", "1");
                }, "a-file/out: cannot create the output directory \\(.+\\)"),
                new Case("--resume without a checkpoint", dir -> {
                    Files.createDirectories(dir.resolve("out"));
                    return List.of("train", "--resume", dir.resolve("out").toString());
                }, "out: no complete checkpoint to resume from \\(expected .+/checkpoints/epoch-NNNN/ holding model.zip and state.json\\)"),
                new Case("model file that is not a model", dir -> {
                    Files.writeString(dir.resolve("model.zip"), "not a zip");
                    return List.of("evaluate", "--model", dir.resolve("model.zip").toString(), "--data",
                            dir.resolve("data").toString(), "--out", dir.resolve("eval").toString());
                }, "model.zip: not a DL4J MultiLayerNetwork model zip \\(.+\\)"),
                new Case("model whose input size is not 784", dir -> {
                    writeModel(dir.resolve("model.zip"), 400);
                    return List.of("evaluate", "--model", dir.resolve("model.zip").toString(), "--data",
                            dir.resolve("data").toString(), "--out", dir.resolve("eval").toString());
                }, "model.zip: the model takes 400 inputs, but the images have 784 pixels"),
                // issue 13: whole numbers, one-line configuration errors, includes
                new Case("fractional epochs in a file", dir -> {
                    Files.writeString(dir.resolve("run.conf"), "training.epochs = 1.5\n");
                    return List.of("train", "--data", dir.resolve("data").toString(), "--out",
                            dir.resolve("out").toString(), "--conf", dir.resolve("run.conf").toString());
                },
                        ".*run.conf:1: training.epochs = 1.5: expected a whole number >= 1 \\(not a fraction\\)"),
                new Case("fractional epochs on the command line", dir -> List.of("train", "--data",
                        dir.resolve("data").toString(), "--out", dir.resolve("out").toString(), "--set", "training.epochs=1.5"),
                        "command line \\(training.epochs\\): training.epochs = 1.5: expected a whole number >= 1 \\(not a fraction\\)"),
                new Case("fractional batch size", dir -> train(dir, "--set", "training.batch-size=10.5"),
                        ".*training.batch-size = 10.5: expected a whole number >= 1 \\(not a fraction\\)"),
                new Case("fractional seed", dir -> train(dir, "--set", "training.seed=1.5"),
                        ".*training.seed = 1.5: expected a whole number \\(not a fraction\\)"),
                new Case("fractional checkpoint.keep", dir -> train(dir, "--set", "checkpoint.keep=2.5"),
                        ".*checkpoint.keep = 2.5: expected a whole number >= 1 \\(not a fraction\\)"),
                new Case("fractional spark.workers", dir -> train(dir, "--set", "spark.workers=1.5"),
                        ".*spark.workers = 1.5: expected a whole number >= 0 \\(not a fraction\\)"),
                new Case("zero-sized hidden layer (one line, no origin comment)", dir -> conf(dir,
                        "network {\n  hidden-layers = [0]\n}\n"),
                        ".*run.conf:2: network.hidden-layers = \\[0\\]: every layer size must be >= 1"),
                new Case("fractional hidden layer", dir -> train(dir, "--set", "network.hidden-layers=[1.5]"),
                        ".*network.hidden-layers = \\[1.5\\]: every layer size must be a whole number \\(not a fraction\\)"),
                new Case("include of a missing file", dir -> conf(dir, "training.epochs = 1\ninclude required(\"x.conf\")\n"),
                        ".*run.conf:2: include required\\(\"x.conf\"\\): the included file x.conf was not found \\(relative paths are resolved against .+\\)"),
                new Case("learning rate beyond 32-bit floats", dir -> train(dir, "--learning-rate", "1e308"),
                        ".*training.learning-rate = \\S+: must be at most 3.4028235E38, the largest 32-bit float the network computes with"),
                // issue 13: networks that cannot fit are refused before allocation
                new Case("a million-unit hidden layer", dir -> train(dir, "--set", "network.hidden-layers=[1000000]"),
                        "network.hidden-layers = \\[1000000\\]: the network has 795,000,010 parameters and needs about [0-9.]+ GB "
                                + "of off-heap memory to train .+, more than the [0-9.]+ GB limit in force \\(OFFHEAP_MAX.+"),
                new Case("a hundred-million-unit hidden layer", dir -> train(dir, "--set", "network.hidden-layers=[100000000]"),
                        "network.hidden-layers = \\[100000000\\]: the network has 79,500,000,010 parameters .+ limit in force .+"),
                new Case("a batch whose activations cannot fit", dir -> train(dir, "--batch-size", "100000000"),
                        "network.hidden-layers = \\[30\\]: the network has 23,860 parameters and needs about [0-9.]+ GB .+"),
                // issue 13: a run directory claimed by a live run
                new Case("--out locked by a running train", dir -> {
                    lock(dir.resolve("out"), ProcessHandle.current().pid(), localHost());
                    return train(dir);
                }, "out: in use by the run of pid " + ProcessHandle.current().pid() + " on .+ started .+ \\(.+_LOCK\\); wait for it to finish or choose another --out"),
                new Case("--out locked, with --overwrite", dir -> {
                    lock(dir.resolve("out"), ProcessHandle.current().pid(), localHost());
                    return train(dir, "--overwrite");
                }, "out: in use by the run of pid " + ProcessHandle.current().pid() + " on .+"),
                new Case("--resume of a locked run", dir -> {
                    lock(dir.resolve("out"), ProcessHandle.current().pid(), localHost());
                    return List.of("train", "--resume", dir.resolve("out").toString());
                }, "out: in use by the run of pid " + ProcessHandle.current().pid() + " on .+"),
                new Case("--out locked by a run on another host", dir -> {
                    lock(dir.resolve("out"), 4242, "another-host.example");
                    return train(dir, "--overwrite");
                }, "out: in use by the run of pid 4242 on another-host.example started .+; if that run is gone, delete .+_LOCK"),
                new Case("evaluate --out locked", dir -> {
                    writeModel(dir.resolve("model.zip"), 784);
                    lock(dir.resolve("eval"), ProcessHandle.current().pid(), localHost());
                    return List.of("evaluate", "--model", dir.resolve("model.zip").toString(), "--data",
                            dir.resolve("data").toString(), "--out", dir.resolve("eval").toString(), "--overwrite");
                }, "eval: in use by the run of pid .+"),
                new Case("score --out locked", dir -> {
                    writeModel(dir.resolve("model.zip"), 784);
                    lock(dir.resolve("scored"), ProcessHandle.current().pid(), localHost());
                    return List.of("score", "--model", dir.resolve("model.zip").toString(), "--input",
                            data(dir, "t10k-images-idx3-ubyte.gz").toString(), "--out", dir.resolve("scored").toString(),
                            "--overwrite");
                }, "scored: in use by the run of pid .+"),
                // issue 13: a folder with nothing to score
                new Case("score a folder of empty files", dir -> scoreFolder(dir, folder ->
                        Files.write(folder.resolve("blank.png"), new byte[0])),
                        "images: holds no file that can be scored \\(1 file, e.g. .+blank.png: empty file \\(0 bytes\\)\\)"),
                new Case("score a folder of a FIFO", dir -> scoreFolder(dir, folder -> mkfifo(folder.resolve("pipe.png"))),
                        "images: holds no file that can be scored \\(1 file, e.g. .+pipe.png: not a regular file \\(a FIFO, socket or device\\)\\)"),
                new Case("score a folder of a link to a device", dir -> scoreFolder(dir, folder ->
                        Files.createSymbolicLink(folder.resolve("zero.png"), Path.of("/dev/zero"))),
                        "images: holds no file that can be scored \\(1 file, e.g. .+zero.png: not a regular file .+"),
                new Case("score a folder of a broken link", dir -> scoreFolder(dir, folder ->
                        Files.createSymbolicLink(folder.resolve("gone.png"), folder.resolve("nowhere.png"))),
                        "images: holds no file that can be scored \\(1 file, e.g. .+gone.png: broken symbolic link\\)"),
                // issue 13: fetch settings, and a resume whose every checkpoint is corrupt
                new Case("fetch with a zero idle timeout", dir -> List.of("fetch", "--dest", dir.resolve("mnist").toString(),
                        "--idle-timeout", "0"), "--idle-timeout 0.0: must be a number of seconds > 0 \\(and at most a week\\)"),
                new Case("resume with only a corrupt checkpoint", dir -> {
                    Path checkpoint = Files.createDirectories(dir.resolve("out/checkpoints/epoch-0001"));
                    Files.writeString(checkpoint.resolve("state.json"), "{\"format\":1,\"epoch\":1}");
                    Files.writeString(checkpoint.resolve("model.zip"), "torn");
                    return List.of("train", "--resume", dir.resolve("out").toString());
                }, "out: no complete checkpoint to resume from \\(.+; skipped epoch-0001: model.zip is not a readable model .+\\)"));
    }

    static List<String> conf(Path dir, String hocon) throws IOException {
        Files.writeString(dir.resolve("run.conf"), hocon);
        return train(dir, "--conf", dir.resolve("run.conf").toString());
    }

    static String localHost() throws IOException {
        return java.net.InetAddress.getLocalHost().getHostName();
    }

    /** A lock file as a run of {@code pid} on {@code host} leaves it. */
    static void lock(Path out, long pid, String host) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("_LOCK"), "host=" + host + "\npid=" + pid + "\nstarted=2026-12-01T10\\:00\\:00Z\n");
    }

    @FunctionalInterface
    interface FolderSetup {
        void fill(Path folder) throws IOException;
    }

    static List<String> scoreFolder(Path dir, FolderSetup setup) throws IOException {
        writeModel(dir.resolve("model.zip"), 784);
        Path folder = Files.createDirectories(dir.resolve("images"));
        setup.fill(folder);
        return List.of("score", "--model", dir.resolve("model.zip").toString(), "--input", folder.toString(),
                "--out", dir.resolve("scored").toString());
    }

    static void mkfifo(Path path) throws IOException {
        try {
            Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("mkfifo " + path + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** A file this process cannot read: without permissions, or for root (whom permissions do not stop) one whose reads fail. */
    static void makeUnreadable(Path file) throws IOException {
        if ("root".equals(System.getProperty("user.name"))) {
            Files.delete(file);
            Files.createSymbolicLink(file, Path.of("/proc/self/mem"));
        } else {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitsTwoWithOneLineAndWritesNothing(Case bad) throws IOException {
        Path dir = Files.createDirectories(root.resolve(bad.name().replaceAll("[^a-z0-9]+", "-")));
        IdxFixtures.writeDataset(dir.resolve("data"), IdxFixtures.learnable(600, 28, 28, 1),
                IdxFixtures.learnable(200, 28, 28, 2));
        List<String> args = bad.setup().prepare(dir);
        Map<String, Long> before = listing(dir);

        Cli run = Cli.run(args.toArray(String[]::new));

        assertEquals(2, run.code(), run.toString());
        String err = run.err().strip();
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + run);
        assertTrue(err.matches("error: .*" + bad.message()), "expected '" + bad.message() + "' in: " + err);
        assertEquals(before, listing(dir), "nothing written");
        table.add("| " + bad.name() + " | `" + err.replace(dir.toString(), "DIR").replace("file:", "") + "` |");
    }

    /** Every file and directory under {@code dir} with its size (-1 for directories). */
    static Map<String, Long> listing(Path dir) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                files.put(dir.relativize(p).toString(), Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? -1
                        : Files.isSymbolicLink(p) ? -2 : Files.size(p));
            }
        }
        return files;
    }
}
