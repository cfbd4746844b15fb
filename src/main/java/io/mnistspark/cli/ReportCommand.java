package io.mnistspark.cli;

import io.mnistspark.InvalidInputException;
import io.mnistspark.data.FrameBlocks;
import io.mnistspark.data.IdxPair;
import io.mnistspark.data.ParquetImages;
import io.mnistspark.data.ImageBlocks;
import io.mnistspark.data.MnistFiles;
import io.mnistspark.evaluate.Misclassified;
import io.mnistspark.model.ModelStore;
import io.mnistspark.store.FinishedRun;
import io.mnistspark.store.ReportWriter;
import io.mnistspark.store.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code report}: (re)writes {@code report.html} of a finished run from its metrics.json, model and test files,
 * without retraining (the executors of a local Spark find the misclassified test images).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write OUT/report.html (learning curves, confusion matrix, misclassified digits, timing, "
                + "provenance) for a finished train run, from its metrics.json and model.zip; no retraining.")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "OUT", description = "Run directory written by train (any Hadoop URI).")
    String run;

    @Option(names = "--data", paramLabel = "DIR",
            description = "MNIST-format directory with the run's test files (default: the t10k-* paths recorded in metrics.json).")
    String data;

    @picocli.CommandLine.ParentCommand
    Main main;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Configuration hadoop = new Configuration();
        FinishedRun finished = FinishedRun.open(new Path(run), hadoop);
        boolean parquet = data != null ? ParquetImages.isParquetLayout(new Path(data), hadoop)
                : "parquet".equals(finished.metrics().at("/data/source").asText());
        long recordedTotal = finished.metrics().at("/test/total").asLong();
        int batchSize = finished.metrics().at("/config/spark/evaluation-batch-size").asInt(1000);
        IdxPair test = null;
        Path parquetTest = null;
        if (parquet) {
            parquetTest = data != null ? new Path(data, ParquetImages.TEST) : recorded(finished, ParquetImages.TEST, hadoop);
        } else {
            Path images;
            Path labels;
            if (data != null) {
                MnistFiles files = MnistFiles.in(new Path(data), hadoop);
                images = files.testImages();
                labels = files.testLabels();
            } else {
                images = recorded(finished, "t10k-images", hadoop);
                labels = recorded(finished, "t10k-labels", hadoop);
            }
            test = IdxPair.read(images, labels, hadoop);
        }
        MultiLayerNetwork network = ModelStore.load(finished.model(), hadoop, 0, 0);

        try (SparkRuntime spark = SparkRuntime.start("mnist-spark report", 0, main != null && main.verbose)) {
            JavaSparkContext sc = spark.context();
            if (test != null) {
                finished.checkRecordedChecksums(sc, List.of(new Path(test.images().path()), new Path(test.labels().path())));
            }
            ImageBlocks blocks = test != null
                    ? ImageBlocks.readIdx(sc, test, new long[]{0}, new long[]{test.count()}).get(0)
                    : parquetTest(sc, parquetTest);
            String source = test != null ? test.images().path() : parquetTest.toString();
            RunDirectory directory = null;
            try (blocks) {
                if (blocks.count() != recordedTotal) {
                    throw new InvalidInputException(source + ": holds " + blocks.count() + " test images, but the run was tested on "
                            + recordedTotal + " (" + finished.metricsPath() + "); pass --data DIR with the run's test files");
                }
                if (blocks.pixelsPerImage() != ModelStore.inputSize(network)) {
                    throw new InvalidInputException(source + ": images of " + blocks.pixelsPerImage() + " pixels, but the model "
                            + finished.model() + " takes " + ModelStore.inputSize(network) + " inputs");
                }
                blocks.labelCounts(sc, ModelStore.classes(network), "the model predicts " + ModelStore.classes(network) + " classes");
                directory = RunDirectory.open(finished.root(), sc.hadoopConfiguration(), true);
                write(sc, directory, finished.metricsJson(), network, blocks, batchSize, "report");
                directory.commit();
            } catch (Exception | Error e) {
                if (directory != null) {
                    directory.abort();
                }
                throw e;
            }
        }
        spec.commandLine().getOut().println("Wrote " + new Path(finished.root(), ReportWriter.PAGE));
        return Main.OK;
    }

    /** The test images of a run trained on Parquet, packed by the executors. */
    private static ImageBlocks parquetTest(JavaSparkContext sc, Path path) {
        org.apache.spark.sql.SparkSession session = org.apache.spark.sql.SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> frame = ParquetImages.read(session, path);
        return FrameBlocks.pack(frame, ParquetImages.pixelColumn(frame), ParquetImages.LABEL, null, 0, 0).train();
    }

    /**
     * The report of a training run: like {@link #write}, but a report that cannot be drawn only costs a
     * warning (the model and metrics of a finished training are never given up for it); {@code report --run}
     * can write it later.
     */
    static void writeAfterTraining(JavaSparkContext sc, RunDirectory run, String metricsJson, MultiLayerNetwork network,
                                   ImageBlocks test, int batchSize, java.io.PrintWriter err) {
        try {
            write(sc, run, metricsJson, network, test, batchSize, "train");
        } catch (Exception | LinkageError | java.awt.AWTError e) {
            err.println("warning: report.html not written (" + e + "); write it later with: report --run " + run.root());
            err.flush();
        }
    }

    /** Stages report.html and its charts in {@code run}; {@code command} names who wrote it (train, report). */
    static void write(JavaSparkContext sc, RunDirectory run, String metricsJson, MultiLayerNetwork network,
                      ImageBlocks test, int batchSize, String command) {
        Misclassified gallery = Misclassified.find(sc, network, test, ReportWriter.GALLERY_SIZE, batchSize);
        ReportWriter.write(run, metricsJson, gallery, test.pixelsPerImage(), "Written by mnist-spark " + command
                + " at " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".");
    }

    private static Path recorded(FinishedRun finished, String prefix, Configuration hadoop) {
        Path path = finished.recordedInput(prefix);
        try {
            if (!path.getFileSystem(hadoop).exists(path)) {
                throw new InvalidInputException(path + ": the test file recorded in " + finished.metricsPath()
                        + " is not there any more; pass --data DIR with the run's test files");
            }
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot check the test file recorded in " + finished.metricsPath()
                    + " (" + e.getMessage() + "); pass --data DIR with the run's test files", e);
        }
        return path;
    }
}
