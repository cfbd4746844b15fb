package io.mnistspark.cli;

import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import io.mnistspark.data.IdxPair;
import io.mnistspark.data.ImageBlocks;
import io.mnistspark.data.MnistFiles;
import io.mnistspark.evaluate.EvaluationResult;
import io.mnistspark.evaluate.Evaluator;
import io.mnistspark.model.ModelStore;
import io.mnistspark.store.JsonFormat;
import io.mnistspark.store.Provenance;
import io.mnistspark.store.RunDirectory;
import io.mnistspark.train.DistributedTrainer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code evaluate}: the test accuracy of a saved model, computed exactly as {@code train} computes it. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model on the test files (t10k-*) of an MNIST-format directory.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "model.zip written by train (any Hadoop URI).")
    String model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "MNIST-format directory (any Hadoop URI).")
    String data;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write evaluation.json (accuracy, per-digit metrics, confusion matrix) here.")
    String out;

    @Option(names = "--overwrite", description = "Replace an existing --out directory.")
    boolean overwrite;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    Main main;

    /** What evaluation.json holds. */
    record EvaluationReport(String model, EvaluationResult test, Provenance provenance) {
    }

    @Override
    public Integer call() throws IOException {
        Instant started = Instant.now();
        try (SparkRuntime spark = SparkRuntime.start("mnist-spark evaluate", 0, main.verbose)) {
            JavaSparkContext sc = spark.context();
            Configuration hadoop = sc.hadoopConfiguration();
            Path modelPath = new Path(model);
            RunConfig config = runConfigBeside(modelPath, hadoop);
            RunDirectory run = out == null ? null : RunDirectory.open(new Path(out), hadoop, overwrite,
                    line -> TrainCommand.warn(spec.commandLine().getErr(), line));
            Interruption.watch(run);
            try {
                MnistFiles files = MnistFiles.in(new Path(data), hadoop);
                IdxPair test = IdxPair.read(files.testImages(), files.testLabels(), hadoop);
                MultiLayerNetwork net = ModelStore.load(modelPath, hadoop, test.pixelsPerImage(), 0);
                int classes = ModelStore.classes(net);
                int workers = DistributedTrainer.workers(sc, config);
                EvaluationResult result;
                try (ImageBlocks blocks = ImageBlocks.readIdx(sc, test, new long[]{0}, new long[]{test.count()}).get(0)) {
                    blocks.labelCounts(sc, classes, modelPath + " predicts " + classes + " classes");
                    result = new Evaluator(classes, config.spark().evaluationBatchSize()).evaluate(sc, net, blocks);
                }
                spec.commandLine().getOut().println("Test accuracy: " + result.summary());
                if (run != null) {
                    Map<String, String> inputs = Provenance.inputs(List.of(files.testImages(), files.testLabels()), hadoop);
                    run.writeText("evaluation.json", JsonFormat.write(new EvaluationReport(model, result,
                            Provenance.of(sc, workers, "evaluate", inputs, started))));
                    run.commit();
                }
                return Main.OK;
            } catch (Exception | Error e) {
                if (run != null && !Interruption.stopping()) {
                    TrainCommand.abortQuietly(run, e);
                }
                throw e;
            } finally {
                Interruption.done();
            }
        }
    }

    /**
     * The configuration of the run that wrote the model ({@code config.conf} beside it), so that evaluation
     * uses the same batches as training did; the defaults when there is none.
     */
    static RunConfig runConfigBeside(Path modelPath, Configuration hadoop) throws IOException {
        Path beside = new Path(modelPath.getParent() == null ? new Path(".") : modelPath.getParent(), "config.conf");
        FileSystem fs = beside.getFileSystem(hadoop);
        ConfigLoader loader = new ConfigLoader();
        if (!fs.exists(beside)) {
            return loader.load();
        }
        try (InputStream in = fs.open(beside)) {
            return loader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), beside.toString());
        }
    }
}
