package io.mnistspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mnistspark.TestSpark;
import io.mnistspark.data.FeatureFrames;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.data.IdxPair;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.ml.DenseNetClassificationModel;
import io.mnistspark.score.Predictions;
import io.mnistspark.store.JsonFormat;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreCommandTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;
    static LabeledImages test;

    @BeforeAll
    static void trainAModel() throws IOException {
        test = IdxFixtures.learnable(300, 28, 28, 2);
        data = IdxFixtures.writeDataset(dir.resolve("data"), IdxFixtures.learnable(600, 28, 28, 1), test);
        Cli train = Cli.run("train", "--data", data.toString(), "--out", dir.resolve("run").toString(), "--epochs", "2",
                "--set", "training.validation-size=100", "--set", "network.hidden-layers=[16]");
        assertEquals(0, train.code(), train.toString());
        model = dir.resolve("run/model.zip");
    }

    static SparkSession spark() {
        return SparkSession.builder().sparkContext(TestSpark.context().sc()).getOrCreate();
    }

    static String sha256(Path file) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void writeImage(Path file, BufferedImage image, String format) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(image, format, file.toFile()), format);
    }

    @Test
    void scoringEqualsEvaluateAndThePngFolderGivesTheSamePredictionsAsTheIdxFile() throws IOException {
        Path idxOut = dir.resolve("scored-idx");
        Cli score = Cli.run("score", "--model", model.toString(), "--input", data.resolve("t10k-images-idx3-ubyte.gz").toString(),
                "--labels", data.resolve("t10k-labels-idx1-ubyte.gz").toString(), "--out", idxOut.toString());
        assertEquals(0, score.code(), score.toString());
        assertTrue(("\n" + score.out()).contains("\nScored 300 images, rejected 0, in "), score.out());
        assertTrue(Files.isRegularFile(idxOut.resolve("_SUCCESS")));
        assertFalse(Files.exists(idxOut.resolve("_temporary")));

        Cli evaluate = Cli.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--out",
                dir.resolve("evaluated").toString());
        assertEquals(0, evaluate.code(), evaluate.toString());
        JsonNode evaluation = JsonFormat.mapper().readTree(dir.resolve("evaluated/evaluation.json").toFile()).get("test");
        JsonNode summary = JsonFormat.mapper().readTree(idxOut.resolve("summary.json").toFile());
        assertEquals(evaluation, summary.get("metrics"), "score --labels reports what evaluate reports");
        assertEquals(300, summary.get("scored").asInt());
        for (String file : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            // the inputs' checksums in the summary's provenance
            assertEquals(sha256(data.resolve(file)), summary.at("/provenance/inputs_sha256/" + file).asText(), file);
        }
        assertTrue(score.out().contains("Accuracy: " + evaluation.get("correct").asInt() + " / 300"), score.out());

        Path pngs = dir.resolve("pngs");
        for (int i = 0; i < test.count(); i++) {
            writeImage(pngs.resolve("digit-" + (i % 3) + "/" + String.format("%05d.png", i)), IdxFixtures.greyImage(test, i), "png");
        }
        Path pngOut = dir.resolve("scored-png");
        Cli folder = Cli.run("score", "--model", model.toString(), "--input", pngs.toString(), "--out", pngOut.toString());
        assertEquals(0, folder.code(), folder.toString());

        Map<Long, Row> byIndex = new HashMap<>();
        spark().read().parquet(idxOut.resolve("predictions").toString()).collectAsList()
                .forEach(row -> byIndex.put(row.getLong(0), row));
        List<Row> fromPngs = spark().read().parquet(pngOut.resolve("predictions").toString()).collectAsList();
        assertEquals(300, byIndex.size());
        assertEquals(300, fromPngs.size());
        for (Row png : fromPngs) {
            String path = png.getString(0);
            long index = Long.parseLong(path.substring(path.lastIndexOf('/') + 1, path.length() - 4));
            Row idx = byIndex.get(index);
            assertEquals(idx.getInt(2), png.getInt(1), path);
            for (int c = 0; c <= 10; c++) {
                // the same inputs (ImageDecoderTest); only BLAS rounding differs between batches of other images
                assertEquals(idx.getDouble(3 + c), png.getDouble(2 + c), 1e-5, path + " column " + c);
            }
        }
        assertEquals(List.of("index", "label", "prediction", "probability", "p0", "p1", "p2", "p3", "p4", "p5", "p6",
                "p7", "p8", "p9"), Arrays.asList(spark().read().parquet(idxOut.resolve("predictions").toString()).columns()));
    }

    @Test
    void aMixedFolderRejectsExactlyTheBadFiles() throws IOException {
        Path mixed = dir.resolve("mixed");
        for (int i = 0; i < 3; i++) {
            writeImage(mixed.resolve("ok-" + i + ".png"), IdxFixtures.greyImage(test, i), "png");
        }
        BufferedImage colour = new BufferedImage(100, 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = colour.createGraphics();
        g.setColor(new Color(200, 120, 40));
        g.fillOval(30, 10, 40, 40);
        g.dispose();
        writeImage(mixed.resolve("sub/colour.jpg"), colour, "jpg");
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(IdxFixtures.greyImage(test, 5), "png", png);
        Files.write(mixed.resolve("truncated.png"), Arrays.copyOf(png.toByteArray(), png.size() / 2));
        Files.writeString(mixed.resolve("notes.txt"), "these are not digits\n");

        Path out = dir.resolve("scored-mixed");
        Cli score = Cli.run("score", "--model", model.toString(), "--input", mixed.toString(), "--out", out.toString(),
                "--format", "csv");
        assertEquals(0, score.code(), score.toString());
        assertTrue(("\n" + score.out()).contains("\nScored 4 images, rejected 2 (listed in rejected/)"), score.out());
        List<Row> rejected = spark().read().option("header", "true").csv(out.resolve("rejected").toString()).collectAsList();
        Map<String, String> reasons = rejected.stream().collect(Collectors.toMap(
                r -> r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1), r -> r.getString(1)));
        assertEquals(Set.of("truncated.png", "notes.txt"), reasons.keySet());
        assertEquals("not a PNG, JPEG, BMP or GIF image", reasons.get("notes.txt"));
        assertTrue(reasons.get("truncated.png").startsWith("corrupt image"), reasons.get("truncated.png"));
        List<Row> predictions = spark().read().option("header", "true").csv(out.resolve("predictions").toString()).collectAsList();
        assertEquals(Set.of("ok-0.png", "ok-1.png", "ok-2.png", "colour.jpg"), predictions.stream()
                .map(r -> r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1)).collect(Collectors.toSet()));
        JsonNode summary = JsonFormat.mapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(4, summary.get("scored").asInt());
        assertEquals(2, summary.get("rejected").asInt());
    }

    @Test
    void thousandsOfSmallFilesAreScoredInFewTasks() throws IOException {
        // thousands of small files per task once broke Spark's file scan (a stack overflow)
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(IdxFixtures.greyImage(test, 0), "png", png);
        Path many = Files.createDirectories(dir.resolve("many"));
        for (int i = 0; i < 3000; i++) {
            Files.write(many.resolve(i + ".png"), png.toByteArray());
        }
        Path out = dir.resolve("scored-many");
        Cli score = Cli.run("score", "--model", model.toString(), "--input", many.toString(), "--out", out.toString());
        assertEquals(0, score.code(), score.toString());
        assertTrue(("\n" + score.out()).contains("\nScored 3000 images, rejected 0"), score.out());
        assertEquals(1, spark().read().parquet(out.resolve("predictions").toString()).select("prediction").distinct().count());
    }

    @Test
    void badInputsFailWithOneLineBeforeWritingAnything() throws IOException {
        Path out = dir.resolve("never");
        Cli missing = Cli.run("score", "--model", model.toString(), "--input", dir.resolve("absent").toString(), "--out", out.toString());
        assertEquals(2, missing.code(), missing.toString());
        assertTrue(missing.err().startsWith("error: ") && missing.err().contains("absent: input not found"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Cli none = Cli.run("score", "--model", model.toString(), "--input", empty.toString(), "--out", out.toString());
        assertEquals(2, none.code(), none.toString());
        assertTrue(none.err().contains("empty: the directory holds no files to score"), none.err());

        Path notAModel = Files.writeString(dir.resolve("model.zip"), "not a zip");
        Cli badModel = Cli.run("score", "--model", notAModel.toString(), "--input", dir.resolve("absent").toString(), "--out", out.toString());
        assertEquals(2, badModel.code(), badModel.toString());
        assertTrue(badModel.err().contains("model.zip: not a DL4J MultiLayerNetwork model zip"), "model checked first: " + badModel.err());
        assertFalse(Files.exists(out), "no partial output");

        Path existing = Files.createDirectories(dir.resolve("existing"));
        Cli exists = Cli.run("score", "--model", model.toString(), "--input", data.resolve("t10k-images-idx3-ubyte.gz").toString(),
                "--out", existing.toString());
        assertEquals(2, exists.code(), exists.toString());
        assertTrue(exists.err().contains("output directory exists already; use --overwrite"), exists.err());

        Cli folderLabels = Cli.run("score", "--model", model.toString(), "--input", data.toString(), "--labels",
                data.resolve("t10k-labels-idx1-ubyte.gz").toString(), "--out", out.toString());
        assertEquals(2, folderLabels.code(), folderLabels.toString());
        assertFalse(Files.exists(out));
    }

    /** Every file is scored or listed in rejected/; names with colons, spaces, %, # and unicode are scored. */
    @Test
    void everyFileIsScoredOrRejectedWhateverItsNameOrKind() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("odd names"));
        List<String> names = List.of("a:b.png", "with space.png", "100%.png", "#7.png", "zifferß-数字.png", ".hidden.png");
        for (int i = 0; i < names.size(); i++) {
            writeImage(folder.resolve(names.get(i)), IdxFixtures.greyImage(test, i), "png");
        }
        Files.write(folder.resolve("empty.png"), new byte[0]);
        BadInputTest.mkfifo(folder.resolve("fifo.png"));
        Files.createSymbolicLink(folder.resolve("device.png"), Path.of("/dev/zero"));
        Files.createSymbolicLink(folder.resolve("broken.png"), folder.resolve("nowhere"));
        Path out = dir.resolve("scored-odd");
        Cli score = Cli.run("score", "--model", model.toString(), "--input", folder.toString(), "--out", out.toString(),
                "--format", "csv");
        assertEquals(0, score.code(), score.toString());
        assertTrue(("\n" + score.out()).contains("\nScored 6 images, rejected 4 (listed in rejected/)"), score.out());
        List<Row> predictions = spark().read().option("header", "true").csv(out.resolve("predictions").toString()).collectAsList();
        assertEquals(Set.copyOf(names), predictions.stream()
                .map(r -> r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1)).collect(Collectors.toSet()));
        Map<String, String> reasons = spark().read().option("header", "true").csv(out.resolve("rejected").toString())
                .collectAsList().stream().collect(Collectors.toMap(
                        r -> r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1), r -> r.getString(1)));
        assertEquals(Map.of("empty.png", "empty file (0 bytes)",
                "fifo.png", "not a regular file (a FIFO, socket or device)",
                "device.png", "not a regular file (a FIFO, socket or device)",
                "broken.png", "broken symbolic link"), reasons);
    }

    /** score's rows are the Spark ML model's transform output (the path score took before), image by image. */
    @Test
    void scoresAreTheModelTransformsOutputInIndexOrder() throws IOException {
        LabeledImages images = IdxFixtures.learnable(2500, 28, 28, 3);
        Path raw = IdxFixtures.writeRawDataset(dir.resolve("raw"), IdxFixtures.learnable(10, 28, 28, 4), images);
        Path imagesFile = raw.resolve("t10k-images-idx3-ubyte");
        Path labelsFile = raw.resolve("t10k-labels-idx1-ubyte");
        Path out = dir.resolve("scored-raw");
        Cli score = Cli.run("score", "--model", model.toString(), "--input", imagesFile.toString(), "--labels",
                labelsFile.toString(), "--out", out.toString(), "--progress-interval-ms", "5");
        assertEquals(0, score.code(), score.toString());
        assertTrue(score.out().lines().anyMatch(l -> l.matches("Scoring: \\d+ / 2500 images \\(\\d+%\\)  .*")),
                "progress lines: " + score.out());
        assertTrue(("\n" + score.out()).contains("\nScored 2500 images, rejected 0, in "), score.out());

        SparkSession spark = spark();
        DenseNetClassificationModel classifier = DenseNetClassificationModel.fromModelFile(
                new org.apache.hadoop.fs.Path(model.toString()), spark.sparkContext().hadoopConfiguration());
        IdxPair pair = IdxPair.read(new org.apache.hadoop.fs.Path(imagesFile.toString()),
                new org.apache.hadoop.fs.Path(labelsFile.toString()), spark.sparkContext().hadoopConfiguration());
        List<Row> expected = Predictions.flatten(classifier.transform(FeatureFrames.fromIdx(spark, pair)),
                FeatureFrames.INDEX, true, classifier.numClasses()).orderBy(FeatureFrames.INDEX).collectAsList();
        Dataset<Row> written = spark.read().parquet(out.resolve("predictions").toString());
        assertEquals(Arrays.asList(Predictions.flatten(classifier.transform(FeatureFrames.fromIdx(spark, pair)),
                FeatureFrames.INDEX, true, classifier.numClasses()).columns()), Arrays.asList(written.columns()));
        List<Row> actual = written.orderBy(FeatureFrames.INDEX).collectAsList();
        assertEquals(2500, actual.size());
        for (int i = 0; i < 2500; i++) {
            Row want = expected.get(i);
            Row got = actual.get(i);
            assertEquals((long) i, got.getLong(0));
            assertEquals(want.getLong(0), got.getLong(0));
            assertEquals(images.label(i), got.getInt(1), "label of " + i);
            assertEquals(want.getInt(2), got.getInt(2), "prediction of " + i);
            for (int c = 3; c < want.length(); c++) {
                // the same float inputs in the same batches of the same network: the same numbers
                assertEquals(want.getDouble(c), got.getDouble(c), 1e-7, "image " + i + " column " + c);
            }
        }

        Path limited = dir.resolve("scored-limited");
        Cli limit = Cli.run("score", "--model", model.toString(), "--input", imagesFile.toString(), "--out",
                limited.toString(), "--limit", "1234", "--batch-size", "100");
        assertEquals(0, limit.code(), limit.toString());
        assertTrue(("\n" + limit.out()).contains("\nScored 1234 images, rejected 0, in "), limit.out());
        List<Row> first = spark.read().parquet(limited.resolve("predictions").toString()).orderBy(FeatureFrames.INDEX)
                .collectAsList();
        assertEquals(1234, first.size());
        for (int i = 0; i < first.size(); i++) {
            assertEquals((long) i, first.get(i).getLong(0));
            assertEquals(expected.get(i).getInt(2), first.get(i).getInt(1), "prediction of " + i);
            assertEquals(expected.get(i).getDouble(3), first.get(i).getDouble(2), 1e-6, "probability of " + i);
        }

        Cli zero = Cli.run("score", "--model", model.toString(), "--input", imagesFile.toString(), "--out",
                dir.resolve("never-limited").toString(), "--limit", "0");
        assertEquals(2, zero.code(), zero.toString());
        assertTrue(zero.err().contains("--limit must be >= 1"), zero.err());
    }

    /** Folders nested at any depth are searched; --limit takes the first files in path order. */
    @Test
    void nestedFoldersAreScoredAndLimitTakesTheFirstFilesInPathOrder() throws IOException {
        Path nested = dir.resolve("nested");
        List<String> files = List.of("top.png", "a/1.png", "a/b/2.png", "a/b/c/3.png", "a/b/c/d/e/4.png", "z/5.png");
        for (int i = 0; i < files.size(); i++) {
            writeImage(nested.resolve(files.get(i)), IdxFixtures.greyImage(test, i), "png");
        }
        Path out = dir.resolve("scored-nested");
        Cli all = Cli.run("score", "--model", model.toString(), "--input", nested.toString(), "--out", out.toString());
        assertEquals(0, all.code(), all.toString());
        assertTrue(("\n" + all.out()).contains("\nScored 6 images, rejected 0, in "), all.out());
        Set<String> scored = spark().read().parquet(out.resolve("predictions").toString()).collectAsList().stream()
                .map(r -> r.getString(0).substring(r.getString(0).indexOf("/nested/") + 8)).collect(Collectors.toSet());
        assertEquals(Set.copyOf(files), scored);

        Path limited = dir.resolve("scored-nested-3");
        Cli three = Cli.run("score", "--model", model.toString(), "--input", nested.toString(), "--out",
                limited.toString(), "--limit", "3");
        assertEquals(0, three.code(), three.toString());
        assertTrue(("\n" + three.out()).contains("\nScored 3 images, rejected 0, in "), three.out());
        Set<String> first = spark().read().parquet(limited.resolve("predictions").toString()).collectAsList().stream()
                .map(r -> r.getString(0).substring(r.getString(0).indexOf("/nested/") + 8)).collect(Collectors.toSet());
        assertEquals(Set.of("a/1.png", "a/b/2.png", "a/b/c/3.png"), first, "the first three paths in order");
    }
}
