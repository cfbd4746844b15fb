package io.mnistspark.ml;

import io.mnistspark.model.ModelStore;
import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import io.mnistspark.data.FrameBlocks;
import io.mnistspark.data.ImageBlocks;
import io.mnistspark.train.DistributedTrainer;
import io.mnistspark.train.EpochCheckpointer;
import io.mnistspark.train.TrainingStart;
import io.mnistspark.train.EpochListener;
import io.mnistspark.train.TrainingData;
import io.mnistspark.train.TrainingOutcome;
import io.mnistspark.config.InvalidConfigException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A Spark ML {@code Estimator} that trains a dense network with parameter-averaging SGD (the same
 * {@link DistributedTrainer} as the {@code train} command) on a {@code features} vector column (pixel
 * intensities in [0, 1], e.g. 784 for 28x28 images) and a {@code label} column (0-9), producing a
 * {@link DenseNetClassificationModel}.
 *
 * <p>Its params are the configuration keys ({@code mnist-spark-reference.conf}), each under the camel-case
 * name of its last part ({@code training.learning-rate -> learningRate}) with the schema's default; see
 * {@link #setConfig}. {@code fit} never collects the data: the executors pack their partitions into blocks.
 * It holds out the rows of {@link #setValidationIndicatorCol the indicator column}, or a seeded random
 * {@code validationSize} fraction, and logs their accuracy after every epoch; with neither the logged figure is
 * the training accuracy. The class count is {@code classes} or the highest label + 1. With
 * {@code earlyStoppingPatience > 0} ({@code training.early-stopping}; also {@code earlyStoppingMetric},
 * {@code earlyStoppingMinDelta}) the held-out rows are the validation set: training stops when they stop
 * improving and the model returned is that of their best epoch.
 */
public final class DenseNetClassifier
        extends ProbabilisticClassifier<Vector, DenseNetClassifier, DenseNetClassificationModel>
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DenseNetClassifier.class);

    static {
        io.mnistspark.model.NativeBuild.select(); // the driver's ND4J build, before ND4J loads (see NativeBuild)
    }

    private String uid;
    private transient List<SchemaParams.Entry> configParams;
    private transient Param<?>[] allParams;

    public DenseNetClassifier() {
        this(PendingUid.stash(null));
    }

    public DenseNetClassifier(String uid) {
        this(PendingUid.stash(uid));
    }

    private DenseNetClassifier(PendingUid.Token token) {
        super();
        uid();
        for (SchemaParams.Entry entry : configParams()) {
            setDefault(entry.param(), entry.defaultValue());
        }
        setDefault(validationIndicatorCol(), "");
    }

    /** A classifier whose params are the values of a validated configuration (what {@code train} does). */
    public static DenseNetClassifier fromConfig(RunConfig config) {
        DenseNetClassifier classifier = new DenseNetClassifier();
        classifier.setAll(config);
        return classifier;
    }

    /**
     * Sets every key from a HOCON configuration file (e.g. {@code conf/keras-adam.conf}; keys it does not
     * set take the schema's defaults), validated like {@code train --conf}.
     */
    public DenseNetClassifier setConfigFile(String hoconFile) {
        setAll(new ConfigLoader().file(java.nio.file.Path.of(hoconFile)).load());
        return this;
    }

    private void setAll(RunConfig config) {
        for (SchemaParams.Entry entry : configParams()) {
            set(entry.param(), SchemaParams.valueOf(config, entry));
        }
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = PendingUid.take("denseNet");
        }
        return uid;
    }

    private List<SchemaParams.Entry> configParams() {
        if (configParams == null) {
            configParams = SchemaParams.create(this);
        }
        return configParams;
    }

    /** Spark's params of a probabilistic classifier plus one param per configuration key. */
    @Override
    public Param<?>[] params() {
        if (allParams == null) {
            List<Param<?>> all = new ArrayList<>(Arrays.asList(super.params()));
            configParams().forEach(entry -> all.add(entry.param()));
            all.add(validationIndicatorCol());
            all.sort(Comparator.comparing(Param::name));
            allParams = all.toArray(new Param<?>[0]);
        }
        return allParams;
    }

    /**
     * Sets a configuration key, e.g. {@code setConfig("network.hidden-layers", new int[]{100})}; the value is
     * checked when the classifier is fitted (or by {@link #runConfig()}), with the key in the message.
     */
    public DenseNetClassifier setConfig(String key, Object value) {
        SchemaParams.Entry entry = configParams().stream().filter(e -> e.key().equals(key)).findFirst()
                .orElseThrow(() -> new InvalidConfigException("unknown key '" + key + "'"));
        Object typed = value;
        if (value instanceof Number n && entry.defaultValue() instanceof Long) {
            typed = n.longValue();
        } else if (value instanceof Number n && entry.defaultValue() instanceof Double) {
            typed = n.doubleValue();
        } else if (value instanceof List<?> list) {
            typed = list.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
        }
        set(entry.param(), typed);
        return this;
    }

    /** The value of a configuration key (set or default). */
    public Object getConfig(String key) {
        return configParams().stream().filter(e -> e.key().equals(key)).findFirst()
                .map(e -> getOrDefault(e.param()))
                .orElseThrow(() -> new InvalidConfigException("unknown key '" + key + "'"));
    }

    public DenseNetClassifier setHiddenLayers(int... sizes) {
        return setConfig("network.hidden-layers", sizes);
    }

    public DenseNetClassifier setActivation(String activation) {
        return setConfig("network.activation", activation);
    }

    public DenseNetClassifier setOutputActivation(String activation) {
        return setConfig("network.output-activation", activation);
    }

    public DenseNetClassifier setLoss(String loss) {
        return setConfig("network.loss", loss);
    }

    public DenseNetClassifier setUpdater(String updater) {
        return setConfig("training.updater", updater);
    }

    public DenseNetClassifier setLearningRate(double learningRate) {
        return setConfig("training.learning-rate", learningRate);
    }

    public DenseNetClassifier setLearningRateDecay(double decay) {
        return setConfig("training.learning-rate-decay", decay);
    }

    public DenseNetClassifier setBatchSize(int batchSize) {
        return setConfig("training.batch-size", batchSize);
    }

    public DenseNetClassifier setEpochs(int epochs) {
        return setConfig("training.epochs", epochs);
    }

    public DenseNetClassifier setSeed(long seed) {
        return setConfig("training.seed", seed);
    }

    /** A fraction of the rows (below 1) or a number of rows to hold out; 0 holds out none. */
    public DenseNetClassifier setValidationSize(double fractionOrRows) {
        return setConfig("training.validation-size", fractionOrRows);
    }

    public DenseNetClassifier setWorkers(int workers) {
        return setConfig("spark.workers", workers);
    }

    /** The params as a validated configuration (what {@code config.conf} of a run holds). */
    public RunConfig runConfig() {
        return SchemaParams.toRunConfig(this, configParams());
    }

    /**
     * Trains on data already distributed by the caller (the {@code train} command's IDX files), telling
     * {@code listener} about every epoch. {@code scratch} is a directory for temporary files.
     */
    public TrainingOutcome trainOn(JavaSparkContext sc, TrainingData data, Path scratch, EpochListener listener) {
        return trainOn(sc, data, scratch, listener, null, EpochCheckpointer.NONE);
    }

    /** {@link #trainOn} continuing after {@code from} (null: a fresh network) and checkpointing every epoch. */
    public TrainingOutcome trainOn(JavaSparkContext sc, TrainingData data, Path scratch, EpochListener listener,
                                   TrainingStart from, EpochCheckpointer checkpointer) {
        return new DistributedTrainer(sc, runConfig(), scratch).train(data, listener, from, checkpointer);
    }

    /**
     * Trains on the DataFrame where it is: its partitions are packed into blocks on the executors (nothing is
     * collected), the validation rows are held out by {@link #setValidationIndicatorCol the indicator column} or
     * at random ({@code validationSize}: a fraction, or a number of rows turned into a fraction of the count).
     */
    @Override
    public DenseNetClassificationModel train(Dataset<?> dataset) {
        RunConfig config = runConfig();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        warnWithoutNativeBuildPlugin(sc);
        String indicator = isDefined(validationIndicatorCol()) && !getValidationIndicatorCol().isEmpty()
                ? getValidationIndicatorCol() : null;
        double fraction = 0;
        if (indicator == null && config.training().validationSize() > 0) {
            double size = config.training().validationSize();
            fraction = size < 1 ? size : size / dataset.count();
            if (fraction >= 1) {
                throw new InvalidConfigException("training.validation-size = " + size + " holds out every row: the"
                        + " dataset has " + (long) (size / fraction) + " rows (set validationSize lower, or 0)");
            }
        }
        FrameBlocks.Split split = FrameBlocks.pack(dataset, getFeaturesCol(), getLabelCol(), indicator, fraction,
                config.training().seed());
        boolean heldOut = split.validation() != null;
        ImageBlocks check = heldOut ? split.validation() : split.train();
        int workers = DistributedTrainer.workers(sc, config);
        Path scratch = scratchDirectory(sc);
        TrainingOutcome outcome;
        boolean earlyStopping = config.training().earlyStopping().enabled();
        try (TrainingData data = TrainingData.of(sc, split.train(), earlyStopping && heldOut ? check : null, check,
                config.network().classes(), "column " + getLabelCol())) {
            LOG.info("{} training on {} rows, {} classes, {} held out, {} workers", uid(), data.train().count(),
                    data.classes(), heldOut ? check.count() : 0, workers);
            outcome = trainOn(sc, data, scratch, (result, total) -> LOG.info("{} epoch {}/{}: {} accuracy {}",
                    uid(), result.epoch(), total, heldOut ? "held-out" : "training", result.testAccuracy()));
        } finally {
            deleteQuietly(sc, scratch);
            split.train().close();
        }
        if (outcome.stopReason() != null) {
            LOG.info("{} stopped early after epoch {}: {}", uid(), outcome.history().size(), outcome.stopReason());
        }
        // with early stopping, the model is the best held-out epoch's (as xgboost4j-spark keeps its best round)
        return new DenseNetClassificationModel(uid(), ModelStore.bytes(earlyStopping && outcome.bestSoFar().network() != null
                ? outcome.bestSoFar().network() : outcome.network()), config.render());
    }

    private Param<String> validationIndicatorCol;

    /**
     * A boolean column: rows where it is true are held out for validation (like the validationIndicatorCol of
     * Spark's GBT classifiers) instead of a random {@code validationSize} fraction. Empty: not used (default).
     */
    public Param<String> validationIndicatorCol() {
        if (validationIndicatorCol == null) {
            validationIndicatorCol = new Param<>(this, "validationIndicatorCol",
                    "name of a boolean column: true rows are held out for validation (empty: a random validationSize fraction)");
        }
        return validationIndicatorCol;
    }

    public DenseNetClassifier setValidationIndicatorCol(String column) {
        set(validationIndicatorCol(), column);
        return this;
    }

    public String getValidationIndicatorCol() {
        return getOrDefault(validationIndicatorCol());
    }

    /**
     * Executors outside the driver's JVM pick their ND4J build with {@link io.mnistspark.model.NativeBuildPlugin};
     * without it JavaCPP loads the AVX2 build, which fails on an executor whose CPU lacks AVX2.
     */
    private static void warnWithoutNativeBuildPlugin(JavaSparkContext sc) {
        String plugins = sc.getConf().get(io.mnistspark.model.NativeBuildPlugin.CONF_KEY, "");
        if (!sc.isLocal() && !plugins.contains(io.mnistspark.model.NativeBuildPlugin.class.getName())) {
            LOG.warn("spark.plugins lacks {}: executors will load ND4J's AVX2 build, and fail on CPUs without "
                    + "AVX2; start the session with spark.plugins={}", io.mnistspark.model.NativeBuildPlugin.class.getName(),
                    io.mnistspark.model.NativeBuildPlugin.addTo(plugins));
        }
    }

    private Path scratchDirectory(JavaSparkContext sc) {
        try {
            FileSystem fs = FileSystem.get(sc.hadoopConfiguration());
            return new Path(fs.getHomeDirectory(), ".mnist-spark-scratch/" + uid() + "-" + System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(JavaSparkContext sc, Path path) {
        try {
            FileSystem fs = path.getFileSystem(sc.hadoopConfiguration());
            fs.delete(path, true);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", path, e.getMessage());
        }
    }

    @Override
    public DenseNetClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<DenseNetClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static DenseNetClassifier load(String path) {
        return read().load(path);
    }
}
