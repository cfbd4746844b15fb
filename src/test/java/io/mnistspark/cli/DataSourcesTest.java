package io.mnistspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.data.IdxHeader;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.store.JsonFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data sources of train, evaluate and score: raw and gzip IDX read by the executors, Parquet, K classes. */
class DataSourcesTest {
    private static final LabeledImages TRAIN = IdxFixtures.learnable(2600, 8, 8, 31);
    private static final LabeledImages TEST = IdxFixtures.learnable(300, 8, 8, 32);

    @TempDir
    Path dir;

    private static JsonNode metrics(Path run) throws IOException {
        return JsonFormat.mapper().readTree(run.resolve("metrics.json").toFile());
    }

    private Cli train(Path data, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(),
                "--set", "network.hidden-layers=[16]", "--set", "training.learning-rate=1.0",
                "--set", "spark.workers=2", "--set", "spark.averaging-frequency=20"));
        args.addAll(Arrays.asList(more));
        if (!args.contains("--epochs")) {
            args.addAll(List.of("--epochs", "2"));
        }
        return Cli.run(args.toArray(new String[0]));
    }

    @Test
    void rawAndGzipCopiesTrainToTheSameAccuracyWithTheSameSeed() throws IOException {
        Path gz = IdxFixtures.writeDataset(dir.resolve("gz"), TRAIN, TEST);
        Path raw = IdxFixtures.writeRawDataset(dir.resolve("raw"), TRAIN, TEST);
        Cli fromGz = train(gz, dir.resolve("run-gz"));
        Cli fromRaw = train(raw, dir.resolve("run-raw"));
        assertEquals(0, fromGz.code(), fromGz.toString());
        assertEquals(0, fromRaw.code(), fromRaw.toString());
        JsonNode a = metrics(dir.resolve("run-gz"));
        JsonNode b = metrics(dir.resolve("run-raw"));
        assertEquals(a.get("test").get("accuracy").asDouble(), b.get("test").get("accuracy").asDouble(), 0.0);
        assertEquals(a.get("epochs").get(1).get("train_loss").asDouble(), b.get("epochs").get(1).get("train_loss").asDouble(), 0.0);
        assertTrue(a.get("test").get("accuracy").asDouble() > 0.5, "learnable fixture: " + a.get("test").get("accuracy"));
    }

    @Test
    void aBadLabelDeepInsideARawFileIsOneLineAndExitTwo() throws IOException {
        Path data = IdxFixtures.writeRawDataset(dir.resolve("bad"), TRAIN, TEST);
        byte[] labels = TRAIN.labelBytes().clone();
        labels[2517] = 10;
        Files.write(data.resolve("train-labels-idx1-ubyte"), IdxFixtures.labelsBytes(IdxHeader.LABELS_MAGIC, 2600, labels));
        Path out = dir.resolve("run");
        Cli run = train(data, out, "--set", "network.classes=10");
        assertEquals(2, run.code(), run.toString());
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).endsWith(
                "train-labels-idx1-ubyte: label 10 at index 2517 is outside 0-9 (network.classes = 10)"), lines.get(0));
        assertFalse(Files.exists(out), "no partial output: " + (Files.exists(out) ? listing(out) : ""));

        // without network.classes the labels say there are 11 classes; a test label beyond them is named too
        byte[] testLabels = TEST.labelBytes().clone();
        testLabels[299] = 12;
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), IdxFixtures.labelsBytes(IdxHeader.LABELS_MAGIC, 300, testLabels));
        run = train(data, out);
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("t10k-labels-idx1-ubyte: label 12 at index 299 is outside 0-10 (the training labels in"),
                run.err());
    }

    @Test
    void moreThanTenClassesTrainEvaluateAndScore() throws IOException {
        // EMNIST letters: labels 1-26, so 27 outputs of which class 0 is never seen
        LabeledImages train = IdxFixtures.learnable(2600, 8, 8, 41, 1, 26);
        LabeledImages test = IdxFixtures.learnable(400, 8, 8, 42, 1, 26);
        Path data = IdxFixtures.writeDataset(dir.resolve("letters"), train, test);
        Path out = dir.resolve("letters-run");
        Cli run = train(data, out, "--set", "network.output-activation=softmax", "--set", "network.loss=cross-entropy",
                "--set", "training.updater=adam", "--set", "training.learning-rate=0.01", "--epochs", "4");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("64-16-27"), run.out());
        JsonNode test1 = metrics(out).get("test");
        assertEquals(27, test1.get("confusion").size());
        assertEquals(27, test1.get("per_class").size());
        assertTrue(test1.get("accuracy").asDouble() > 0.5, "learnable: " + test1.get("accuracy"));

        Cli evaluate = Cli.run("evaluate", "--model", out.resolve("model.zip").toString(), "--data", data.toString());
        assertEquals(0, evaluate.code(), evaluate.toString());
        assertTrue(evaluate.out().contains("Test accuracy: " + test1.get("correct").asLong() + " / 400"), evaluate.out());

        Path scored = dir.resolve("scored");
        Cli score = Cli.run("score", "--model", out.resolve("model.zip").toString(),
                "--input", data.resolve("t10k-images-idx3-ubyte.gz").toString(),
                "--labels", data.resolve("t10k-labels-idx1-ubyte.gz").toString(), "--out", scored.toString(), "--format", "csv");
        assertEquals(0, score.code(), score.toString());
        Path csv;
        try (var files = Files.list(scored.resolve("predictions"))) {
            csv = files.filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow();
        }
        String header = Files.readAllLines(csv).get(0);
        assertTrue(header.endsWith(",p25,p26") && !header.contains("p27"), header);
        assertEquals(test1.get("accuracy").asDouble(),
                metricsOf(scored.resolve("summary.json")).get("metrics").get("accuracy").asDouble(), 1e-12);

        // 47 classes (EMNIST balanced) from the data, and network.classes overriding it
        LabeledImages balanced = IdxFixtures.learnable(1500, 8, 8, 43, 0, 47);
        Path data47 = IdxFixtures.writeDataset(dir.resolve("balanced"), balanced, IdxFixtures.learnable(200, 8, 8, 44, 0, 47));
        Cli run47 = train(data47, dir.resolve("run47"), "--epochs", "1", "--set", "network.classes=50");
        assertEquals(0, run47.code(), run47.toString());
        assertEquals(50, metrics(dir.resolve("run47")).get("test").get("confusion").size());
    }

    private static String listing(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.map(Path::toString).toList().toString();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static JsonNode metricsOf(Path json) throws IOException {
        return JsonFormat.mapper().readTree(json.toFile());
    }

    @Test
    void convertWritesParquetThatTrainReadsToTheSameData() throws IOException {
        Path data = IdxFixtures.writeRawDataset(dir.resolve("raw"), TRAIN, TEST);
        Path parquet = dir.resolve("parquet");
        Cli convert = Cli.run("convert", "--data", data.toString(), "--out", parquet.toString());
        assertEquals(0, convert.code(), convert.toString());
        assertTrue(convert.out().contains("Wrote 2600 training and 300 test images of 8x8 as Parquet"), convert.out());
        assertTrue(Files.exists(parquet.resolve("train/_SUCCESS")) && Files.exists(parquet.resolve("_SUCCESS")));
        var spark = org.apache.spark.sql.SparkSession.builder().sparkContext(io.mnistspark.TestSpark.context().sc()).getOrCreate();
        var rows = spark.read().parquet(parquet.resolve("test").toString()).collectAsList();
        assertEquals(300, rows.size());
        assertEquals(List.of("label", "image"), Arrays.asList(spark.read().parquet(parquet.resolve("test").toString()).columns()));
        long matches = rows.stream().filter(r -> {
            byte[] image = (byte[]) r.get(1);
            for (int i = 0; i < 300; i++) {
                if (Arrays.equals(image, TEST.slice(i, i + 1).pixelBytes()) && r.getInt(0) == TEST.label(i)) {
                    return true;
                }
            }
            return false;
        }).count();
        assertEquals(300, matches, "every test image and label, byte for byte");

        Path out = dir.resolve("run-parquet");
        Cli run = train(parquet, out, "--set", "training.validation-size=0.1");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("validation, 300 test"), run.out());
        assertTrue(metrics(out).get("test").get("accuracy").asDouble() > 0.5);
        assertEquals("parquet", metrics(out).get("data").get("source").asText());
        assertEquals(300, metrics(out).get("data").get("test_images").asInt());
        Files.delete(out.resolve("report.html"));
        Cli report = Cli.run("report", "--run", out.toString());
        assertEquals(0, report.code(), report.toString());
        assertTrue(Files.isRegularFile(out.resolve("report.html")));
    }

    @Test
    void anImagesFileLongerThanItsHeaderFailsBeforeAnyJob() throws IOException {
        Path data = IdxFixtures.writeRawDataset(dir.resolve("long"), TRAIN, TEST);
        Path images = data.resolve("train-images-idx3-ubyte");
        Files.write(images, new byte[]{1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        Cli run = train(data, dir.resolve("run"));
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("train-images-idx3-ubyte: 3 bytes of data after the 2600 images of 8x8 the header declares"),
                run.err());
    }
}
