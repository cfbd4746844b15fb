package io.mnistspark.cli;

import io.mnistspark.InvalidInputException;
import io.mnistspark.data.FeatureFrames;
import io.mnistspark.data.IdxPair;
import io.mnistspark.data.ImageBlocks;
import io.mnistspark.data.ImageFolder;
import io.mnistspark.evaluate.EvaluationResult;
import io.mnistspark.ml.BatchScorer;
import io.mnistspark.ml.DenseNetClassificationModel;
import io.mnistspark.score.PredictionRows;
import io.mnistspark.score.Predictions;
import io.mnistspark.score.ScoreSummary;
import io.mnistspark.store.JsonFormat;
import io.mnistspark.store.ParquetRows;
import io.mnistspark.store.Provenance;
import io.mnistspark.store.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;


/**
 * {@code score}: labels an IDX images file or a folder of image files with a trained model and writes the
 * predictions. The executors read the IDX blocks or the files themselves and hand their pixels to the model's
 * per-partition scorer ({@link DenseNetClassificationModel#batchScorer}, the code its {@code transform} runs):
 * the same predictions as {@code transform}, without a DataFrame of 784-value vectors in between.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Label an IDX images file or a folder of PNG/JPEG/BMP/GIF images with a trained model.")
final class ScoreCommand implements Callable<Integer> {
    enum Format { parquet, csv }

    /** Rows of rejected/ per file. */
    private static final int REJECTED_PER_FILE = 100_000;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "model.zip written by train (any Hadoop URI).")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "An IDX images file (gzip or raw), or a directory searched recursively for image files (any Hadoop URI).")
    String input;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output directory: predictions/, rejected/, summary.json, _SUCCESS.")
    String out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "parquet",
            description = "parquet (default) or csv.")
    Format format;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "IDX labels of the --input IDX images: adds accuracy, per-digit metrics and the confusion matrix to summary.json.")
    String labels;

    @Option(names = "--invert", description = "The images are dark digits on a light background (scans, drawings): invert them.")
    boolean invert;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000",
            description = "Images per network call on the executors (default 1000).")
    int batchSize;

    @Option(names = "--limit", paramLabel = "N",
            description = "Score only the first N images of an IDX file, or the first N files of a folder in path order (a quick look).")
    Long limit;

    @Option(names = "--progress-interval-ms", hidden = true, defaultValue = "0",
            description = "Milliseconds between progress lines (default: 500 on a terminal, 10000 in logs).")
    long progressIntervalMillis;

    @Option(names = "--overwrite", description = "Replace an existing --out directory (its files stay until the new ones are complete).")
    boolean overwrite;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    Main main;

    @Override
    public Integer call() throws IOException {
        Instant started = Instant.now();
        Thread warmUp = ClassWarmUp.start(ClassWarmUp.SCALA_REFLECTION);
        PrintWriter console = spec.commandLine().getOut();
        if (batchSize < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch-size must be >= 1");
        }
        if (limit != null && limit < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be >= 1");
        }
        // the model and the input are checked before Spark starts, with the Hadoop settings Spark would use
        Configuration preflight = SparkHadoopUtil.get().newConfiguration(new SparkConf());
        DenseNetClassificationModel classifier = DenseNetClassificationModel.fromModelFile(new Path(model), preflight)
                .setScoringBatchSize(batchSize);
        Path inputPath = new Path(input);
        List<ImageFolder.Entry> listing = listing(inputPath, preflight);
        boolean folder = listing != null;
        if (folder && labels != null) {
            throw new InvalidInputException("--labels " + labels + ": labels apply to an IDX images --input, but "
                    + input + " is a directory");
        }
        if (folder && limit != null && limit < listing.size()) {
            listing = List.copyOf(listing.subList(0, limit.intValue()));
        }
        int classes = classifier.numClasses();
        int side = folder ? squareSide(classifier.numFeatures()) : 0;
        ClassWarmUp.await(warmUp); // before Spark: no class is initialised from two ends at once
        StructType schema = folder ? PredictionRows.schema("path", false, classes)
                : PredictionRows.schema(FeatureFrames.INDEX, labels != null, classes);
        String parquetSchema = format == Format.parquet ? ParquetRows.parquetText(schema) : null;
        List<ImageFolder.Entry> files = listing;
        boolean localMode = new SparkConf().get("spark.master", "local").startsWith("local");
        // on the spare core while Spark starts, what the tasks would otherwise do cold: the network's first call
        // and, in local mode (the executors are this JVM), Parquet's writer and the first image file's decoding
        Thread networkWarmUp = ClassWarmUp.run("network warm-up", () -> {
            classifier.warmUp();
            if (localMode && parquetSchema != null) {
                ParquetRows.warmUp(parquetSchema);
            }
            if (localMode && files != null) {
                ImageFolder.warmUp(files, side, invert);
            }
        });
        try (SparkRuntime spark = SparkRuntime.start("mnist-spark score", 0, main.verbose)) {
            JavaSparkContext sc = spark.context();
            Configuration hadoop = sc.hadoopConfiguration();
            long start = System.nanoTime();
            RunDirectory run = RunDirectory.open(new Path(out), hadoop, overwrite,
                    line -> TrainCommand.warn(spec.commandLine().getErr(), line));
            Interruption.watch(run);
            ImageBlocks blocks = null;
            try {
                LongAccumulator done = sc.sc().longAccumulator("images scored");
                // unnamed: Spark records a named accumulator's whole value with every finished task
                CollectionAccumulator<PredictionRows.Rejected> rejections = sc.sc().collectionAccumulator();
                BatchScorer scorer = classifier.batchScorer(sc);
                JavaRDD<Row> rows;
                long total;
                if (folder) {
                    total = listing.size();
                    // one pass: the scored files are written, the rejected ones come back with the tasks' results
                    rows = PredictionRows.ofFiles(ImageFolder.decode(sc, listing, hadoop, side, side, invert), scorer,
                            batchSize, done, rejections);
                } else {
                    blocks = idxBlocks(sc, inputPath, classifier.numFeatures(), classes);
                    total = blocks.count();
                    rows = PredictionRows.ofBlocks(blocks, scorer, batchSize, labels != null, done);
                }
                ClassWarmUp.await(networkWarmUp); // before any task can borrow a network
                try (ScoreProgress progress = ScoreProgress.follow(sc.sc(), done, total, console, progressIntervalMillis)) {
                    write(sc, rows, schema, run.staged("predictions"));
                }
                List<Row> rejected = rejections.value().stream()
                        .sorted(java.util.Comparator.comparing(PredictionRows.Rejected::path))
                        .map(PredictionRows.Rejected::row).toList();
                writeRejected(sc, rejected, run);
                long rejectedCount = rejected.size();
                long scored = total - rejectedCount; // every image is scored or rejected, or the job fails
                EvaluationResult metrics = labels == null ? null
                        : Predictions.evaluate(written(sc, run.staged("predictions"), schema), classes);
                double seconds = (System.nanoTime() - start) / 1e9;
                double perSecond = (scored + rejectedCount) / seconds;
                List<Path> inputs = labels == null ? List.of(inputPath) : List.of(inputPath, new Path(labels));
                ScoreSummary summary = new ScoreSummary(model, input, labels, format.name(), scored, rejectedCount,
                        Math.round(seconds * 1000) / 1000.0, Math.round(perSecond * 10) / 10.0, metrics,
                        Provenance.of(sc, sc.defaultParallelism(), "score", Provenance.inputs(inputs, hadoop), started));
                run.writeText("summary.json", JsonFormat.write(summary));
                run.commit();
                console.printf(Locale.ROOT, "Scored %d image%s, rejected %d%s, in %.1f s (%.0f images/s)%n", scored,
                        scored == 1 ? "" : "s", rejectedCount, rejectedCount > 0 ? " (listed in rejected/)" : "",
                        seconds, perSecond);
                if (metrics != null) {
                    console.println("Accuracy: " + metrics.summary());
                }
                console.println("Wrote " + run.root());
                return Main.OK;
            } catch (Exception | Error e) {
                if (!Interruption.stopping()) {
                    TrainCommand.abortQuietly(run, e);
                }
                throw e;
            } finally {
                Interruption.done();
                if (blocks != null) {
                    blocks.close(); // a gzip file's blocks are cached
                }
            }
        }
    }

    /**
     * The IDX input (its first --limit images) as blocks read by the executors; labels outside the model's
     * classes fail there.
     */
    private ImageBlocks idxBlocks(JavaSparkContext sc, Path path, int modelInputs, int classes) {
        IdxPair pair = IdxPair.read(path, labels == null ? null : new Path(labels), sc.hadoopConfiguration());
        if (pair.pixelsPerImage() != modelInputs) {
            throw new InvalidInputException(path + ": images of " + pair.rows() + "x" + pair.columns()
                    + " have " + pair.pixelsPerImage() + " pixels, but the model " + model + " takes " + modelInputs + " inputs");
        }
        long end = limit == null ? pair.count() : Math.min(limit, pair.count());
        ImageBlocks blocks = ImageBlocks.readIdx(sc, pair, new long[]{0}, new long[]{end}).get(0);
        if (pair.labelled()) {
            blocks.labelCounts(sc, classes, "the model " + model + " predicts " + classes + " classes");
        } else {
            blocks.awaitCached(); // a gzip file's problems fail here, before the scoring job
        }
        return blocks;
    }

    /** The predictions as written (for the metrics of --labels: no second scoring pass). */
    private Dataset<Row> written(JavaSparkContext sc, Path path, StructType schema) {
        return session(sc).read().format(format.name()).option("header", "true").schema(schema).load(path.toString());
    }

    /**
     * Writes {@code rows} into the directory {@code path}: Parquet through Parquet's own output format, with no
     * Spark SQL plan (bench/README.md#scoring); CSV through Spark SQL's CSV writer.
     */
    private void write(JavaSparkContext sc, JavaRDD<Row> rows, StructType schema, Path path) {
        if (format == Format.parquet) {
            ParquetRows.save(rows, schema, path, sc.hadoopConfiguration());
        } else {
            session(sc).createDataFrame(rows, schema).write().format(format.name()).option("header", "true")
                    .save(path.toString());
        }
    }

    /**
     * Writes the rejected files' rows (held by the driver) into the run's {@code rejected/}: one file, or one per
     * 100000 rows, written on the driver for Parquet (an empty file when none, so that the schema is there).
     */
    private void writeRejected(JavaSparkContext sc, List<Row> rejected, RunDirectory run) throws IOException {
        StructType schema = PredictionRows.Rejected.schema();
        Path path = run.staged("rejected");
        int files = Math.max(1, (rejected.size() + REJECTED_PER_FILE - 1) / REJECTED_PER_FILE);
        if (format == Format.parquet) {
            for (int f = 0; f < files; f++) {
                List<Row> part = rejected.subList(Math.min(rejected.size(), f * REJECTED_PER_FILE),
                        Math.min(rejected.size(), (f + 1) * REJECTED_PER_FILE));
                ParquetRows.writeFile(part, schema, new Path(path, String.format(Locale.ROOT, "part-%05d.snappy.parquet", f)),
                        sc.hadoopConfiguration());
            }
            run.create("rejected/_SUCCESS").close();
        } else {
            write(sc, sc.parallelize(rejected, files), schema, path);
        }
    }

    private static SparkSession session(JavaSparkContext sc) {
        return SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    }

    /** The files of a directory --input, null for a file. */
    private static List<ImageFolder.Entry> listing(Path path, Configuration hadoop) {
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            if (!fs.exists(path)) {
                throw new InvalidInputException(path + ": input not found (expected an IDX images file or a directory of images)");
            }
            return fs.getFileStatus(path).isDirectory() ? ImageFolder.check(path, hadoop) : null;
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private int squareSide(int inputs) {
        int side = (int) Math.round(Math.sqrt(inputs));
        if (side * side != inputs) {
            throw new InvalidInputException(model + ": the model takes " + inputs
                    + " inputs, which is not a square image size to fit image files into");
        }
        return side;
    }
}
