package io.mnistspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.store.JsonFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One small recorded run (fixture data, 2 epochs), its report.html, and {@code report --run} on copies of it. */
class ReportCommandTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    static Path shared;
    static Path data;
    static Path run;
    static Cli train;

    @TempDir
    Path dir;

    @BeforeAll
    static void recordARun() throws IOException {
        LabeledImages test = IdxFixtures.learnable(200, 28, 28, 2);
        data = IdxFixtures.writeDataset(shared.resolve("data"), IdxFixtures.learnable(600, 28, 28, 1),
                withWrongLabels(test));
        run = shared.resolve("run");
        train = Cli.run("train", "--data", data.toString(), "--out", run.toString(), "--epochs", "2",
                "--set", "training.validation-size=100", "--set", "network.hidden-layers=[16]",
                "--set", "spark.averaging-frequency=5");
        assertEquals(0, train.code(), train.toString());
    }

    /** Four test images in five get a label their pattern does not show: well over 100 misclassified. */
    private static LabeledImages withWrongLabels(LabeledImages images) {
        byte[] pixels = new byte[images.count() * images.pixelsPerImage()];
        byte[] labels = new byte[images.count()];
        for (int i = 0; i < images.count(); i++) {
            labels[i] = (byte) (i % 5 == 0 ? images.label(i) : (images.label(i) + 1 + i % 7) % 10);
            for (int p = 0; p < images.pixelsPerImage(); p++) {
                pixels[i * images.pixelsPerImage() + p] = (byte) images.pixel(i, p);
            }
        }
        return new LabeledImages(images.rows(), images.columns(), pixels, labels);
    }

    @Test
    void trainWritesAReportWhoseNumbersAreTheMetrics() throws Exception {
        JsonNode metrics = JsonFormat.mapper().readTree(run.resolve("metrics.json").toFile());
        String html = Files.readString(run.resolve("report.html"));

        for (String chart : List.of("accuracy", "loss", "epoch-times", "averaging")) {
            Path png = run.resolve("report/" + chart + ".png");
            assertTrue(html.contains("src=\"report/" + chart + ".png\""), chart + " is on the page");
            byte[] bytes = Files.readAllBytes(png);
            assertArrayEquals(PNG_SIGNATURE, java.util.Arrays.copyOf(bytes, 8), chart + " is a PNG");
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(800, image.getWidth(), chart);
            assertEquals(400, image.getHeight(), chart);
            assertTrue(bytes.length > 5_000 && bytes.length < 500_000, chart + ": " + bytes.length + " bytes");
            assertTrue(distinctColours(image) > 10, chart + " has something drawn on it");
        }
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script"),
                "offline: no remote resources, no scripts");

        JsonNode test = metrics.get("test");
        long wrong = test.get("total").asLong() - test.get("correct").asLong();
        assertTrue(wrong > 100, "the fixture has more than a gallery of errors: " + wrong);
        assertEquals(100, count(section(html, "gallery"), "<img "), "the gallery shows the first 100");
        assertEquals(100, count(section(html, "gallery"), "src=\"data:image/png;base64,"));
        assertTrue(html.contains("<p id=\"gallery-summary\">" + wrong + " of " + test.get("total").asLong()),
                "local inference finds the errors Spark's evaluation counted");

        String confusion = section(html, "confusion");
        Matcher cells = Pattern.compile("<td style=\"background:[^\"]+\">(\\d+)</td>").matcher(confusion);
        for (JsonNode row : test.get("confusion")) {
            for (JsonNode count : row) {
                assertTrue(cells.find(), "a cell for every count");
                assertEquals(count.asLong(), Long.parseLong(cells.group(1)));
            }
        }
        assertFalse(cells.find(), "exactly 100 cells");

        String perDigit = section(html, "per-digit");
        for (JsonNode c : test.get("per_class")) {
            assertTrue(perDigit.contains(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%d</td></tr>",
                    c.get("digit").asInt(), c.get("precision").asDouble(), c.get("recall").asDouble(),
                    c.get("f1").asDouble(), c.get("support").asLong())), "digit " + c.get("digit") + " in\n" + perDigit);
        }
        String epochs = section(html, "epochs");
        for (JsonNode e : metrics.get("epochs")) {
            assertTrue(epochs.contains(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4f</td><td>%.2f%%</td><td>%.2f%%</td><td>%d / %d</td>",
                    e.get("epoch").asInt(), e.get("train_loss").asDouble(), 100 * e.get("validation_accuracy").asDouble(),
                    100 * e.get("test_accuracy").asDouble(), e.get("test_correct").asLong(), e.get("test_total").asLong())),
                    "epoch " + e.get("epoch") + " in\n" + epochs);
        }
        assertTrue(html.contains(String.format(Locale.ROOT, "<b>%d / %d (%.2f%%)</b>", test.get("correct").asLong(),
                test.get("total").asLong(), 100 * test.get("accuracy").asDouble())));

        JsonNode averaging = metrics.at("/timing/averaging");
        assertEquals(2, metrics.at("/timing/averaging_epochs").size());
        assertTrue(averaging.get("averagings").asInt() >= 2, averaging.toString());
        assertTrue(averaging.get("worker_fit_seconds").asDouble() > 0, averaging.toString());
        assertTrue(averaging.get("aggregate_seconds").asDouble() >= averaging.get("worker_fit_seconds").asDouble(),
                "the aggregate job includes the workers' fitting: " + averaging);
        assertTrue(section(html, "averaging").contains(String.format(Locale.ROOT, "%.2f", averaging.get("aggregate_seconds").asDouble())));

        String provenance = section(html, "inputs");
        for (String file : List.of("t10k-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")) {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(data.resolve(file))));
            assertEquals(sha, metrics.at("/provenance/inputs_sha256/" + file).asText(), file);
            assertTrue(provenance.contains(sha), file);
        }
        assertTrue(section(html, "config").contains("network.hidden-layers = [16]"), section(html, "config"));
        assertTrue(section(html, "provenance").contains(metrics.at("/provenance/started").asText()));
    }

    @Test
    void reportRewritesTheSameReportFromTheRunAlone() throws IOException {
        Path copy = copyOf(run);
        String original = Files.readString(copy.resolve("report.html"));
        deleteTree(copy.resolve("report"));
        Files.delete(copy.resolve("report.html"));

        Cli report = Cli.run("report", "--run", copy.toString());
        assertEquals(0, report.code(), report.toString());
        assertTrue(report.out().startsWith("Wrote file:" + copy.resolve("report.html")), report.out());
        assertEquals("", report.err());
        String rewritten = Files.readString(copy.resolve("report.html"));
        assertEquals(withoutFooter(original).replace("file:" + run, "file:" + copy), withoutFooter(rewritten),
                "same numbers, same gallery");
        for (String chart : List.of("accuracy", "loss", "epoch-times", "averaging")) {
            assertTrue(Files.size(copy.resolve("report/" + chart + ".png")) > 5_000, chart);
        }
        assertTrue(Files.exists(copy.resolve("_SUCCESS")));
        assertTrue(Files.exists(copy.resolve("model.zip")), "the run's other files stay");
        assertFalse(Files.exists(copy.resolve("_temporary")));
    }

    @Test
    void reportFindsMovedTestFilesWithData() throws IOException {
        Path copy = copyOf(run);
        Path moved = Files.move(copyOf(data), dir.resolve("moved"));
        Path original = dir.resolve("original-data");
        Files.move(data, original);
        try {
            Cli missing = Cli.run("report", "--run", copy.toString());
            assertOneLineError(missing, "t10k-images-idx3-ubyte.gz: the test file recorded in file:" + copy.resolve("metrics.json")
                    + " is not there any more; pass --data DIR with the run's test files");
            Cli withData = Cli.run("report", "--run", copy.toString(), "--data", moved.toString());
            assertEquals(0, withData.code(), withData.toString());
        } finally {
            Files.move(original, data);
        }
    }

    @Test
    void reportRefusesTestFilesThatChanged() throws IOException {
        Path other = IdxFixtures.writeDataset(dir.resolve("other"), IdxFixtures.learnable(600, 28, 28, 1),
                IdxFixtures.learnable(200, 28, 28, 99));
        Path copy = copyOf(run);
        Cli changed = Cli.run("report", "--run", copy.toString(), "--data", other.toString());
        assertOneLineError(changed, other.resolve("t10k-images-idx3-ubyte.gz") + ": SHA-256 differs from the one file:"
                + copy.resolve("metrics.json") + " records (the file changed since the run)");
        assertTrue(Files.exists(copy.resolve("report.html")), "the old report stays");
    }

    @Test
    void reportErrorsNameTheRunAndWriteNothing() throws IOException {
        assertOneLineError(Cli.run("report", "--run", dir.resolve("absent").toString()),
                dir.resolve("absent") + ": run directory not found");

        Path unfinished = copyOf(run);
        Files.delete(unfinished.resolve("_SUCCESS"));
        Files.delete(unfinished.resolve("report.html"));
        assertOneLineError(Cli.run("report", "--run", unfinished.toString()),
                unfinished + ": not a finished run (no _SUCCESS; train writes it last)");
        assertFalse(Files.exists(unfinished.resolve("report.html")));

        Path corrupt = copyOf(run);
        Files.writeString(corrupt.resolve("metrics.json"), "{\"epochs\": [");
        assertOneLineError(Cli.run("report", "--run", corrupt.toString()),
                corrupt.resolve("metrics.json") + ": not valid JSON");

        Path notTrain = copyOf(run);
        Files.writeString(notTrain.resolve("metrics.json"), "{\"test\": {}}");
        assertOneLineError(Cli.run("report", "--run", notTrain.toString()),
                notTrain.resolve("metrics.json") + ": has no \"config\" field; expected the metrics.json of a train run");

        Path noModel = copyOf(run);
        Files.delete(noModel.resolve("model.zip"));
        Files.delete(noModel.resolve("report.html"));
        assertOneLineError(Cli.run("report", "--run", noModel.toString()), "model.zip: file not found (expected a model.zip file)");
        assertFalse(Files.exists(noModel.resolve("report.html")), "no partial report");
        assertFalse(Files.exists(noModel.resolve("_temporary")));

        Cli usage = Cli.run("report");
        assertEquals(2, usage.code());
        assertTrue(usage.err().contains("Missing required option: '--run=OUT'"), usage.err());
    }

    private static void assertOneLineError(Cli cli, String expected) {
        assertEquals(2, cli.code(), cli.toString());
        assertTrue(cli.err().startsWith("error: ") && cli.err().contains(expected), "expected '" + expected + "' in\n" + cli.err());
        assertEquals(1, cli.err().strip().lines().count(), "one line, no stack trace: " + cli.err());
    }

    /** The element with this id, up to its closing tag. */
    private static String section(String html, String id) {
        int start = html.indexOf(" id=\"" + id + "\"");
        assertTrue(start >= 0, "no element with id " + id);
        String tag = html.substring(html.lastIndexOf('<', start) + 1, start).split(" ")[0];
        return html.substring(start, html.indexOf("</" + tag + ">", start));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static long distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private static String withoutFooter(String html) {
        return html.replaceAll("Written by mnist-spark \\w+ at [^<]+", "");
    }

    private Path copyOf(Path source) throws IOException {
        Path target = Files.createTempDirectory(dir, source.getFileName().toString());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
        return target;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
