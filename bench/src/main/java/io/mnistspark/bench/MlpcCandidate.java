package io.mnistspark.bench;

import io.mnistspark.cli.SparkRuntime;
import io.mnistspark.config.RunConfig;
import io.mnistspark.data.LabeledImages;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * Spark MLlib's own {@link MultilayerPerceptronClassifier} (L-BFGS, sigmoid hidden layers, softmax output) on
 * the configured hidden layers: one fit of {@code iterations} L-BFGS iterations, recorded as one "epoch".
 */
final class MlpcCandidate {
    private MlpcCandidate() {
    }

    static BenchRun run(RunConfig config, String configName, Path data, int iterations) {
        try (SparkRuntime spark = SparkRuntime.start("mnist-spark bench mlpc", 2, false)) {
            JavaSparkContext sc = spark.context();
            SparkSession session = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
            double startup = ProcessFacts.wallSeconds();
            long setupStart = System.nanoTime();
            LocalMnist dataset = LocalMnist.read(data, config, sc.hadoopConfiguration());
            LabeledImages train = dataset.train();
            int partitions = sc.defaultParallelism();
            Dataset<Row> trainFrame = frame(session, sc, train, partitions).cache();
            Dataset<Row> testFrame = frame(session, sc, dataset.test(), partitions).cache();
            trainFrame.count();
            testFrame.count();
            double setup = ProcessFacts.secondsSince(setupStart);

            int[] layers = new int[config.network().hiddenLayers().size() + 2];
            layers[0] = train.pixelsPerImage();
            for (int i = 0; i < config.network().hiddenLayers().size(); i++) {
                layers[i + 1] = config.network().hiddenLayers().get(i);
            }
            layers[layers.length - 1] = dataset.classes();
            long start = System.nanoTime();
            double cpu = ProcessFacts.cpuSeconds();
            MultilayerPerceptronClassificationModel model = new MultilayerPerceptronClassifier()
                    .setLayers(layers).setMaxIter(iterations).setSeed(config.training().seed())
                    .fit(trainFrame);
            double fit = ProcessFacts.secondsSince(start);
            double fitCpu = ProcessFacts.cpuSeconds() - cpu;
            long evaluationStart = System.nanoTime();
            double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                    .evaluate(model.transform(testFrame));
            List<BenchRun.Epoch> epochs = List.of(new BenchRun.Epoch(1, fit, fitCpu,
                    ProcessFacts.secondsSince(evaluationStart), accuracy, ProcessFacts.wallSeconds()));
            return new BenchRun("mllib-mlpc-" + iterations + "-iterations", configName, data.toString(),
                    partitions, train.count(), startup, setup, epochs, ProcessFacts.peakRssMb(),
                    ProcessFacts.loadAverage());
        }
    }

    private static Dataset<Row> frame(SparkSession session, JavaSparkContext sc, LabeledImages images,
                                      int partitions) {
        List<LabeledImages> blocks = new ArrayList<>();
        for (int from = 0; from < images.count(); from += 1000) {
            blocks.add(images.slice(from, Math.min(images.count(), from + 1000)));
        }
        JavaRDD<Row> rows = sc.parallelize(blocks, blocks.size()).flatMap(block -> {
            List<Row> out = new ArrayList<>(block.count());
            for (int i = 0; i < block.count(); i++) {
                double[] features = new double[block.pixelsPerImage()];
                for (int p = 0; p < features.length; p++) {
                    features[p] = block.pixel(i, p) / 255.0;
                }
                out.add(RowFactory.create((double) block.label(i), Vectors.dense(features)));
            }
            return out.iterator();
        }).repartition(partitions);
        StructType schema = new StructType()
                .add("label", DataTypes.DoubleType, false)
                .add("features", SQLDataTypes.VectorType(), false);
        return session.createDataFrame(rows, schema);
    }
}
