package io.mnistspark.cli;

import io.mnistspark.config.RunConfig;
import io.mnistspark.data.MnistDataset;
import io.mnistspark.data.ParquetImages;
import io.mnistspark.ml.DenseNetClassifier;
import io.mnistspark.model.ModelStore;
import io.mnistspark.model.NetworkFactory;
import io.mnistspark.store.JsonFormat;
import io.mnistspark.store.Provenance;
import io.mnistspark.store.RunDirectory;
import io.mnistspark.train.DistributedTrainer;
import io.mnistspark.train.EpochListener;
import io.mnistspark.train.EpochResult;
import io.mnistspark.store.ReportWriter;
import io.mnistspark.train.RunMetrics;
import io.mnistspark.train.Checkpoints;
import io.mnistspark.train.EpochCheckpointer;
import io.mnistspark.train.TrainingData;
import io.mnistspark.train.TrainingStart;
import io.mnistspark.train.TrainingOutcome;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code train}: reads the data, trains with parameter averaging, writes model, configuration and metrics. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a dense network on an MNIST-format directory and write model + metrics to --out.")
final class TrainCommand implements Callable<Integer> {
    /** The network of the best validation epoch, beside model.zip (the last epoch's). */
    static final String BEST_MODEL = "best-model.zip";
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory (any Hadoop URI) with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                    + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz (gzip or raw), or with train/ and test/ "
                    + "Parquet datasets (label + image or features columns, as convert writes). Every executor must "
                    + "reach it: a local path serves local mode only; on a cluster use HDFS/S3 or a shared mount. "
                    + "With --resume: the checkpoint's data directory unless given.")
    String data;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory to create (any Hadoop URI): model.zip, config.conf, metrics.json, epochs.csv, "
                    + "report.html (rewritten after every epoch while training), best-model.zip (the best validation "
                    + "epoch's network), _SUCCESS, and checkpoints/ while training.")
    String out;

    @Option(names = "--overwrite", description = "Replace an existing --out directory (its files stay until the new ones are complete).")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its newest complete checkpoint, with the checkpoint's "
                    + "configuration (instead of --out).")
    String resume;

    @Option(names = "--force", description = "With --resume: continue although --conf/--set/--data differ from the checkpoint's.")
    boolean force;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    Main main;

    @Override
    public Integer call() throws IOException {
        Instant started = Instant.now();
        long start = System.nanoTime();
        PrintWriter console = spec.commandLine().getOut();
        checkOptions();
        RunConfig requested = resume == null ? configOptions.load() : null;
        int localWorkers = requested != null ? requested.spark().workers()
                : configOptions.workers != null ? configOptions.workers : 0;
        Map<String, Double> phases = new LinkedHashMap<>();
        // ND4J and DL4J load on the second core while Spark starts (a resumed run learns its network later)
        Runnable warmedUp = requested == null ? null : NetworkFactory.startWarmUp(requested.network(), requested.training());
        try (SparkRuntime spark = SparkRuntime.start("mnist-spark train", localWorkers, main.verbose)) {
            JavaSparkContext sc = spark.context();
            Path outPath = new Path(resume != null ? resume : out);
            Checkpoints checkpoints = new Checkpoints(outPath, sc.hadoopConfiguration());
            PrintWriter err = spec.commandLine().getErr();
            // the run's claim on its directory comes first: another run may be writing its checkpoints
            RunDirectory run = RunDirectory.open(outPath, sc.hadoopConfiguration(), overwrite || resume != null,
                    line -> warn(err, line));
            try {
                Resumption resumption = resume == null ? null : Resumption.prepare(outPath, checkpoints,
                        configOptions, data, force, sc.hadoopConfiguration(), line -> warn(err, line));
                RunConfig config = resumption == null ? requested : resumption.config();
                Path dataPath = resumption == null ? new Path(data) : resumption.data();
                Interruption.watchTraining(run, resume != null ? resume : out, resumption != null);
                long t = System.nanoTime();
                boolean parquet = ParquetImages.isParquetLayout(dataPath, sc.hadoopConfiguration());
                MnistDataset dataset = parquet ? null : MnistDataset.open(dataPath, sc.hadoopConfiguration());
                List<Path> inputs = parquet
                        ? List.of(new Path(dataPath, ParquetImages.TRAIN), new Path(dataPath, ParquetImages.TEST))
                        : dataset.files().all();
                int workers = DistributedTrainer.workers(sc, config);
                TrainingOutcome outcome;
                try (TrainingData distributed = parquet
                        ? TrainingData.readParquet(sc, dataPath, config.training().validationSize(),
                                config.training().seed(), config.network().classes())
                        : TrainingData.read(sc, dataset, config.training().validationCount(dataset.train().count()),
                                config.network().classes(), warmedUp != null ? warmedUp
                                : () -> NetworkFactory.warmUp(config.network(), config.training()));
                     ProgressReporter progress = ProgressReporter.forConsole(console)) {
                    if (parquet && warmedUp != null) {
                        warmedUp.run(); // its failure comes after the data's, as TrainingData.read has it for IDX
                    }
                    phases.put("load_data", seconds(t));
                    console.printf(Locale.ROOT, "Training %s on %d images (%d validation, %d test) with %d worker%s on %s%n",
                            describe(config, distributed.pixelsPerImage(), distributed.classes()),
                            distributed.train().count(),
                            distributed.validation() == null ? 0 : distributed.validation().count(),
                            distributed.test().count(), workers, workers == 1 ? "" : "s", sc.master());
                    printWhereToWatch(console, run, sc);
                    TrainingStart from = null;
                    if (resumption == null) {
                        checkpoints.deleteAll(); // an overwritten run's checkpoints, now that the inputs are good
                    } else {
                        from = resumption.checkpoint().start();
                        checkpoints.discardAfter(from.epochsDone());
                        console.printf(Locale.ROOT, "Resuming from %s: %d of %d epochs done%n",
                                resumption.checkpoint().location(), from.epochsDone(), config.training().epochs());
                        console.flush();
                    }
                    EpochCheckpointer writer = checkpoints.writer(config.checkpoint(), config.render(),
                            Resumption.qualified(dataPath, sc.hadoopConfiguration()).toString());
                    EpochCheckpointer checkpointer = (epoch, total, network, splits, history, bestSoFar) -> {
                        Path written = writer.epochFinished(epoch, total, network, splits, history, bestSoFar);
                        if (written != null) {
                            Interruption.checkpointWritten();
                        }
                        return written;
                    };
                    String source = parquet ? "parquet" : dataset.train().gzip() ? "idx-gzip" : "idx-raw";
                    LiveReport live = new LiveReport(run, config, Provenance.inProgress(sc, workers, "train",
                            Provenance.inputs(inputs, sc.hadoopConfiguration()), started),
                            distributed.pixelsPerImage(), from == null ? java.util.List.of() : from.history(),
                            spec.commandLine().getErr(), RunMetrics.DataSummary.of(source, distributed));
                    EpochListener interruptible = new EpochListener() {
                        @Override
                        public void epochFinished(EpochResult result, int totalEpochs) {
                        }

                        @Override
                        public void epochStarted(io.mnistspark.train.EpochProgress started) {
                            Interruption.epochStarted(started.epoch());
                        }
                    };
                    try (live) {
                        outcome = DenseNetClassifier.fromConfig(config).trainOn(sc, distributed, run.scratch(),
                                EpochListener.both(interruptible, EpochListener.both(progress, live)), from, checkpointer);
                        live.finish();
                    }
                    phases.put("train", outcome.fitSeconds());
                    phases.put("evaluate", outcome.evaluationSeconds());

                    String metricsJson = writeOutputs(run, config, outcome, Provenance.of(sc, workers, "train",
                            Provenance.inputs(inputs, sc.hadoopConfiguration()), started),
                            phases, start, RunMetrics.DataSummary.of(source, distributed));
                    ReportCommand.writeAfterTraining(sc, run, metricsJson, outcome.network(), distributed.test(),
                            config.spark().evaluationBatchSize(), spec.commandLine().getErr());
                }
                run.commit();
                EpochResult best = outcome.bestEpoch();
                console.printf(Locale.ROOT, "Best test accuracy %.2f%% (epoch %d), final %s. Wrote %s%n",
                        100 * best.testAccuracy(), best.epoch(), outcome.finalTest().summary(), run.root());
                console.println(ConsoleLines.ending(outcome, config.training().epochs()));
                return Main.OK;
            } catch (Exception | Error e) {
                if (!Interruption.stopping()) {
                    abortQuietly(run, e);
                }
                throw e;
            } finally {
                Interruption.done();
            }
        } catch (IOException | RuntimeException | Error e) {
            // the JVM must not exit while the warm-up thread is inside ND4J's native libraries
            awaitQuietly(warmedUp);
            throw e;
        }
    }

    /** Waits for the warm-up started before Spark, if any, and leaves its outcome to whoever else meets it. */
    private static void awaitQuietly(Runnable warmedUp) {
        if (warmedUp == null) {
            return;
        }
        try {
            warmedUp.run();
        } catch (RuntimeException | Error ignored) {
            // the command's own failure is the one to report
        }
    }

    /** Removes the staging area and the lock; a failure to do so (the disk that failed) stays behind the first. */
    static void abortQuietly(RunDirectory run, Throwable first) {
        try {
            run.abort();
        } catch (RuntimeException cleanup) {
            first.addSuppressed(cleanup);
        }
    }

    static void warn(PrintWriter err, String line) {
        err.println(line);
        err.flush();
    }

    /** Exactly one of --out and --resume; --data unless resuming. */
    private void checkOptions() {
        if (out != null && resume != null) {
            throw new ParameterException(spec.commandLine(),
                    "--out and --resume exclude each other: --resume DIR continues the run in DIR");
        }
        if (out == null && resume == null) {
            throw new ParameterException(spec.commandLine(),
                    "Missing required option: '--out=DIR' (or --resume=DIR to continue a run)");
        }
        if (data == null && resume == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--data=DIR'");
        }
        if (force && resume == null) {
            throw new ParameterException(spec.commandLine(), "--force goes with --resume");
        }
    }

    /** model.zip, config.conf, epochs.csv and metrics.json, staged in the run directory; returns metrics.json. */
    private static String writeOutputs(RunDirectory run, RunConfig config, TrainingOutcome outcome,
                                     Provenance provenance, Map<String, Double> phases, long start,
                                     RunMetrics.DataSummary data) throws IOException {
        long t = System.nanoTime();
        try (OutputStream model = run.create("model.zip")) {
            ModelStore.write(outcome.network(), model);
        }
        if (outcome.bestSoFar().network() != null) {
            try (OutputStream model = run.create(BEST_MODEL)) {
                ModelStore.write(outcome.bestSoFar().network(), model);
            }
        }
        run.writeText("config.conf", config.render());
        run.writeText("epochs.csv", epochsCsv(outcome));
        phases.put("save", seconds(t));
        EpochResult best = outcome.bestEpoch();
        RunMetrics metrics = new RunMetrics(config.asMap(), provenance, outcome.history(),
                new RunMetrics.Best(best.epoch(), best.testAccuracy()), outcome.bestSoFar().best(),
                outcome.stopReason(), outcome.finalTest(),
                RunMetrics.Timing.of(seconds(start), phases, outcome.averaging()), data);
        String json = JsonFormat.write(metrics);
        run.writeText("metrics.json", json);
        return json;
    }

    /** The live report's path and, when Spark's UI is on, its address. */
    private static void printWhereToWatch(PrintWriter console, RunDirectory run, JavaSparkContext sc) {
        console.println("Report (rewritten after every epoch): " + new Path(run.root(), ReportWriter.PAGE));
        if (sc.sc().uiWebUrl().isDefined()) {
            console.println("Spark UI: " + sc.sc().uiWebUrl().get());
        }
        console.flush();
    }

    private static String describe(RunConfig config, int inputs, int classes) {
        StringBuilder layers = new StringBuilder(Integer.toString(inputs));
        config.network().hiddenLayers().forEach(size -> layers.append('-').append(size));
        layers.append('-').append(classes);
        return layers + " " + io.mnistspark.config.ConfigChoice.spelling(config.network().activation());
    }

    static String epochsCsv(TrainingOutcome outcome) {
        StringBuilder csv = new StringBuilder("epoch,train_loss,validation_accuracy,test_accuracy,seconds,evaluation_seconds\n");
        for (EpochResult r : outcome.history()) {
            csv.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%.3f,%.3f%n", r.epoch(), r.trainLoss(),
                    r.validationAccuracy() == null ? "" : r.validationAccuracy().toString(), r.testAccuracy(),
                    r.seconds(), r.evaluationSeconds()));
        }
        return csv.toString();
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e6) / 1e3;
    }
}
