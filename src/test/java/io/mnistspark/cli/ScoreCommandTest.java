package io.mnistspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mnistspark.TestSpark;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.store.JsonFormat;
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
        assertTrue(score.out().startsWith("Scored 300 images, rejected 0, in "), score.out());
        assertTrue(Files.isRegularFile(idxOut.resolve("_SUCCESS")));
        assertFalse(Files.exists(idxOut.resolve("_temporary")));

        Cli evaluate = Cli.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--out",
                dir.resolve("evaluated").toString());
        assertEquals(0, evaluate.code(), evaluate.toString());
        JsonNode evaluation = JsonFormat.mapper().readTree(dir.resolve("evaluated/evaluation.json").toFile()).get("test");
        JsonNode summary = JsonFormat.mapper().readTree(idxOut.resolve("summary.json").toFile());
        assertEquals(evaluation, summary.get("metrics"), "score --labels reports what evaluate reports");
        assertEquals(300, summary.get("scored").asInt());
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
        assertTrue(score.out().startsWith("Scored 4 images, rejected 2 (listed in rejected/)"), score.out());
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
        assertTrue(score.out().startsWith("Scored 3000 images, rejected 0"), score.out());
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
        assertTrue(score.out().startsWith("Scored 6 images, rejected 4 (listed in rejected/)"), score.out());
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
}
