package io.mnistspark.ml;

import io.mnistspark.model.ModelStore;
import io.mnistspark.model.NetworkPool;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * A trained dense network as a Spark ML {@code Model}: {@link #transform} adds Spark's classifier columns,
 * {@code rawPrediction} (the network's output activations), {@code probability} (those normalised to sum to
 * 1; a softmax output already does) and {@code prediction} (the class with the highest output, or Spark's
 * {@code thresholds} rule when set).
 *
 * <p>The model travels as its DL4J ModelSerializer bytes: {@code transform} broadcasts them once, and each
 * executor JVM rebuilds networks from them as its tasks need ({@link NetworkPool}), scoring every partition
 * {@code scoringBatchSize} rows per network call. (A live network is never broadcast: Spark 3.5 closes
 * AutoCloseable broadcast values, which frees ND4J arrays under the network.)
 *
 * <p>Saved with {@code write().save(path)}: Spark's metadata plus {@code data/model.zip} (loadable by plain
 * DL4J) and {@code data/config.conf} (the training configuration).
 */
public final class DenseNetClassificationModel
        extends ProbabilisticClassificationModel<Vector, DenseNetClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    static {
        io.mnistspark.model.NativeBuild.select(); // the driver's ND4J build, before ND4J loads (see NativeBuild)
    }

    private String uid;
    private final byte[] modelBytes;
    private final String trainingConfig;
    private final String poolKey;
    private final int numFeatures;
    private final int numClasses;
    private final boolean softmax;
    private IntParam batchSize;

    /**
     * @param modelBytes     a DL4J ModelSerializer zip of a MultiLayerNetwork
     * @param trainingConfig the HOCON configuration it was trained with, or null when unknown
     */
    public DenseNetClassificationModel(String uid, byte[] modelBytes, String trainingConfig) {
        this(PendingUid.stash(uid), modelBytes, trainingConfig);
    }

    private DenseNetClassificationModel(PendingUid.Token token, byte[] modelBytes, String trainingConfig) {
        super();
        uid();
        this.modelBytes = modelBytes;
        this.trainingConfig = trainingConfig;
        this.poolKey = uid + ":" + modelBytes.length + ":" + Arrays.hashCode(modelBytes);
        NetworkPool.Pooled pooled = NetworkPool.borrow(poolKey, () -> ModelStore.restore(modelBytes, poolKey));
        try {
            MultiLayerNetwork network = pooled.network();
            this.numFeatures = (int) ModelStore.inputSize(network);
            this.numClasses = (int) network.layerSize(network.getnLayers() - 1);
            this.softmax = network.getLayerWiseConfigurations().getConf(network.getnLayers() - 1).getLayer()
                    instanceof BaseOutputLayer output && output.getActivationFn() instanceof ActivationSoftmax;
        } finally {
            NetworkPool.giveBack(poolKey, pooled);
        }
        scoringBatchSize();
        setDefault(batchSize, 1000);
    }

    /** The model in a model.zip file (any Hadoop URI), e.g. a run directory's; checked before any Spark job. */
    public static DenseNetClassificationModel fromModelFile(Path path, Configuration hadoop) {
        byte[] bytes = ModelStore.readBytes(path, hadoop);
        ModelStore.restore(bytes, path.toString());
        return new DenseNetClassificationModel((String) null, bytes, null);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = PendingUid.take("denseNetModel");
        }
        return uid;
    }

    /** Rows per network call when scoring (default 1000). */
    public IntParam scoringBatchSize() {
        if (batchSize == null) {
            batchSize = new IntParam(uid(), "scoringBatchSize", "rows scored per network call (> 0)",
                    v -> ((Integer) v) > 0);
        }
        return batchSize;
    }

    public DenseNetClassificationModel setScoringBatchSize(int rows) {
        set(scoringBatchSize(), rows);
        return this;
    }

    public int getScoringBatchSize() {
        return (Integer) getOrDefault(scoringBatchSize());
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** The DL4J ModelSerializer bytes of the network. */
    public byte[] modelBytes() {
        return modelBytes.clone();
    }

    /** The HOCON configuration the network was trained with (null when unknown). */
    public String trainingConfig() {
        return trainingConfig;
    }

    /**
     * Runs this JVM's pooled network once on a batch of zeros of the scoring batch size, so that in local mode the
     * first task finds the network rebuilt, ND4J's operations initialised and the forward pass's arrays (or DL4J's
     * workspace) sized. Nothing else changes: a network's outputs do not depend on an earlier call.
     */
    public void warmUp() {
        int rows = getScoringBatchSize();
        BatchScorer.outputs(NetworkPool.borrow(poolKey, () -> ModelStore.restore(modelBytes, poolKey)), poolKey, new float[rows * numFeatures],
                rows, numFeatures);
    }

    /** A new copy of the network (for DL4J use). */
    public MultiLayerNetwork network() {
        return ModelStore.restore(modelBytes, uid());
    }

    @Override
    public Vector predictRaw(Vector features) {
        float[] inputs = new float[numFeatures];
        PartitionScorer.copy(features, inputs, 0, numFeatures);
        float[] outputs = BatchScorer.outputs(NetworkPool.borrow(poolKey, () -> ModelStore.restore(modelBytes, poolKey)), poolKey, inputs, 1,
                numFeatures);
        return Vectors.dense(BatchScorer.widen(outputs, 0, outputs.length));
    }

    @Override
    public Vector raw2probabilityInPlace(Vector rawPrediction) {
        if (!softmax && rawPrediction instanceof DenseVector dense) {
            ProbabilisticClassificationModel.normalizeToProbabilitiesInPlace(dense);
        }
        return rawPrediction;
    }

    /** Spark's summary lookup, declared by two superclasses (Java needs the choice spelled out). */
    @Override
    @SuppressWarnings("rawtypes")
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    /** Scores whole partitions in batches (Spark's default would call the network once per row). */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType input = dataset.schema();
        StructType output = transformSchema(input, true);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        PartitionScorer scorer = new PartitionScorer(batchScorer(sc), getScoringBatchSize(), input, output,
                getFeaturesCol(), getRawPredictionCol(), getProbabilityCol(), getPredictionCol());
        return dataset.toDF().mapPartitions(scorer, Encoders.row(output));
    }

    /**
     * The scorer {@link #transform} runs on each partition, for callers that hold the inputs as pixels rather
     * than as a DataFrame of vectors ({@code score}): the model bytes are broadcast once by this call.
     */
    public BatchScorer batchScorer(JavaSparkContext sc) {
        Broadcast<byte[]> model = sc.broadcast(modelBytes);
        return new BatchScorer(model, poolKey, numFeatures, numClasses, softmax,
                isDefined(thresholds()) ? getThresholds() : null);
    }

    @Override
    public DenseNetClassificationModel copy(ParamMap extra) {
        DenseNetClassificationModel copy = new DenseNetClassificationModel(uid(), modelBytes, trainingConfig);
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new ModelWriter(this);
    }

    public static MLReader<DenseNetClassificationModel> read() {
        return new ModelReader();
    }

    public static DenseNetClassificationModel load(String path) {
        return read().load(path);
    }
}
