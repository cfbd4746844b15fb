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
                }, "model.zip: the model takes 400 inputs, but the images have 784 pixels"));
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
