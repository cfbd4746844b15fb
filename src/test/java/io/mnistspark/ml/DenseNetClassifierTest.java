package io.mnistspark.ml;

import com.typesafe.config.Config;
import io.mnistspark.TestSpark;
import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.InvalidConfigException;
import io.mnistspark.data.FeatureFrames;
import io.mnistspark.data.IdxFixtures;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenseNetClassifierTest {
    @TempDir
    Path dir;

    static SparkSession spark() {
        return SparkSession.builder().sparkContext(TestSpark.context().sc()).getOrCreate();
    }

    @Test
    void everySchemaKeyIsAParamWithTheSchemaDefault() {
        Config schema = new ConfigLoader().schema();
        DenseNetClassifier classifier = new DenseNetClassifier();
        Set<String> names = Arrays.stream(classifier.params()).map(Param::name).collect(Collectors.toSet());
        var keys = schema.entrySet().stream()
                .filter(e -> SchemaParams.SECTIONS.contains(e.getKey().substring(0, e.getKey().indexOf('.')))).toList();
        assertEquals(29, keys.size(), "network, training and spark keys");
        assertEquals(keys.size() + 7, names.size(), names.toString());
        for (var entry : keys) {
            String name = SchemaParams.paramName(entry.getKey());
            assertTrue(names.contains(name), name);
            Object expected = entry.getValue().unwrapped();
            Object actual = classifier.getConfig(entry.getKey());
            if (expected instanceof Number number) {
                assertEquals(number.doubleValue(), ((Number) actual).doubleValue(), entry.getKey());
            } else if (actual instanceof int[] ints) {
                assertEquals(expected, Arrays.stream(ints).boxed().toList(), entry.getKey());
            } else {
                assertEquals(expected, actual, entry.getKey());
            }
        }
        assertTrue(classifier.explainParams().contains("learningRate: Step size"), classifier.explainParams());
        assertEquals(3.0, classifier.getOrDefault(classifier.getParam("learningRate")), "a decimal param");
        assertEquals(10L, classifier.getOrDefault(classifier.getParam("batchSize")), "a whole-number param");
        assertEquals(0L, classifier.getOrDefault(classifier.getParam("earlyStoppingPatience")), "early stopping is off");
        assertEquals("validation-accuracy", classifier.getOrDefault(classifier.getParam("earlyStoppingMetric")));
        assertEquals(new ConfigLoader().load().training(), classifier.runConfig().training());
        assertEquals(new ConfigLoader().load().network(), classifier.runConfig().network());
    }

    @Test
    void badValuesAreRejectedWithTheKey() {
        DenseNetClassifier classifier = new DenseNetClassifier().setBatchSize(0);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, classifier::runConfig);
        assertTrue(e.getMessage().contains("training.batch-size = 0: must be >= 1"), e.getMessage());
        InvalidConfigException choice = assertThrows(InvalidConfigException.class,
                () -> new DenseNetClassifier().setActivation("softsign").runConfig());
        assertTrue(choice.getMessage().contains("network.activation = \"softsign\": expected one of sigmoid"), choice.getMessage());
        assertThrows(InvalidConfigException.class, () -> new DenseNetClassifier().setConfig("training.epoch", 3));
    }

    /**
     * Early stopping on the held-out rows, seen through the job descriptions of each epoch's Spark jobs: a
     * plateau (learning rate 1e-9) has its best epoch first, and patience 2 ends it after epoch 3 of 10.
     */
    @Test
    void earlyStoppingParamsStopTheFitAndEveryEpochsJobsAreNamed() throws Exception {
        SparkSession spark = spark();
        Dataset<Row> train = FeatureFrames.fromImages(spark, IdxFixtures.learnable(600, 28, 28, 1));
        List<String> descriptions = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.apache.spark.scheduler.SparkListener jobs = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                String description = start.properties() == null ? null
                        : start.properties().getProperty("spark.job.description");
                if (description != null) {
                    descriptions.add(description);
                }
            }
        };
        spark.sparkContext().addSparkListener(jobs);
        try {
            DenseNetClassifier classifier = new DenseNetClassifier().setHiddenLayers(16).setEpochs(10)
                    .setLearningRate(1e-9).setValidationSize(100).setWorkers(1)
                    .setConfig("training.early-stopping.patience", 2);
            assertEquals(2L, classifier.getOrDefault(classifier.getParam("earlyStoppingPatience")));
            classifier.fit(train);
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(jobs);
        }
        assertTrue(descriptions.contains("epoch 1/10: fit") && descriptions.contains("epoch 1/10: evaluate")
                && descriptions.contains("epoch 3/10: fit"), descriptions.toString());
        assertFalse(descriptions.stream().anyMatch(d -> d.startsWith("epoch 4/10")), descriptions.toString());

        InvalidConfigException none = assertThrows(InvalidConfigException.class, () -> new DenseNetClassifier()
                .setValidationSize(0).setConfig("training.early-stopping.patience", 2).fit(train));
        assertTrue(none.getMessage().contains("early stopping needs validation data"), none.getMessage());
    }

    @Test
    void fitSaveLoadTransformInsideAPipeline() throws Exception {
        SparkSession spark = spark();
        Dataset<Row> train = FeatureFrames.fromImages(spark, IdxFixtures.learnable(600, 28, 28, 1));
        Dataset<Row> test = FeatureFrames.fromImages(spark, IdxFixtures.learnable(200, 28, 28, 2));
        DenseNetClassifier classifier = new DenseNetClassifier().setHiddenLayers(16).setEpochs(2)
                .setValidationSize(100).setWorkers(1);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{classifier});
        String pipelinePath = dir.resolve("pipeline").toString();
        pipeline.write().save(pipelinePath);
        Pipeline loadedPipeline = Pipeline.load(pipelinePath);
        DenseNetClassifier loadedClassifier = (DenseNetClassifier) loadedPipeline.getStages()[0];
        assertEquals(classifier.uid(), loadedClassifier.uid());
        assertArrayEquals(new int[]{16}, (int[]) loadedClassifier.getConfig("network.hidden-layers"));
        assertEquals(2L, loadedClassifier.getConfig("training.epochs"));

        PipelineModel model = loadedPipeline.fit(train);
        String modelPath = dir.resolve("model").toString();
        model.write().save(modelPath);
        assertTrue(Files.isRegularFile(Path.of(modelPath, "stages", "0_" + classifier.uid(), "data", "model.zip")));
        PipelineModel loaded = PipelineModel.load(modelPath);

        List<Row> before = model.transform(test).select("index", "label", "rawPrediction", "probability", "prediction")
                .orderBy("index").collectAsList();
        List<Row> after = loaded.transform(test).select("index", "label", "rawPrediction", "probability", "prediction")
                .orderBy("index").collectAsList();
        assertEquals(200, before.size());
        assertEquals(before, after);
        long correct = before.stream().filter(r -> r.getDouble(1) == r.getDouble(4)).count();
        assertTrue(correct > 100, "learnable fixture: " + correct + " / 200");
        Vector probability = before.get(0).getAs(3);
        assertEquals(1.0, Arrays.stream(probability.toArray()).sum(), 1e-6);
        assertEquals(probability.argmax(), (int) before.get(0).getDouble(4));

        DenseNetClassificationModel network = (DenseNetClassificationModel) loaded.stages()[0];
        assertEquals(784, network.numFeatures());
        assertEquals(10, network.numClasses());
        assertTrue(network.trainingConfig().contains("hidden-layers"), network.trainingConfig());
        Vector features = test.orderBy("index").first().getAs("features");
        assertEquals(before.get(0).getDouble(4), network.predict(features));
        assertEquals(3, network.setScoringBatchSize(7).transform(test).filter("prediction >= 0").limit(3).count());
    }

    /**
     * The executors pack the DataFrame's partitions into blocks: nothing is collected, so a data set far larger
     * than {@code spark.driver.maxResultSize} trains (the tests' context sets 4 MB; the pixels alone are 4.7 MB,
     * the feature vectors 37 MB). Validation rows come from an indicator column, or a seeded random fraction.
     */
    @Test
    void fitCollectsNothingAndHoldsOutByColumnOrSeededFraction() {
        SparkSession spark = spark();
        long limit = TestSpark.context().getConf().getSizeAsBytes("spark.driver.maxResultSize");
        assertTrue(limit <= 4L << 20, "the test needs a small spark.driver.maxResultSize, not " + limit);
        Dataset<Row> images = FeatureFrames.fromImages(spark, IdxFixtures.learnable(6000, 28, 28, 5)).repartition(3)
                .withColumn("isVal", org.apache.spark.sql.functions.expr("index % 5 = 0"));
        assertEquals(3, images.rdd().getNumPartitions());
        assertTrue(6000L * 784 > limit);

        DenseNetClassifier classifier = new DenseNetClassifier().setHiddenLayers(16).setEpochs(1).setWorkers(2)
                .setValidationIndicatorCol("isVal");
        classifier.setConfig("spark.averaging-frequency", 30);
        DenseNetClassificationModel model = classifier.fit(images);
        assertEquals(10, model.numClasses());
        long correct = model.transform(images).filter("label = prediction").count();
        assertTrue(correct > 3000, "learnable fixture: " + correct + " / 6000");

        DenseNetClassificationModel byFraction = new DenseNetClassifier().setHiddenLayers(16).setEpochs(1).setWorkers(2)
                .setValidationSize(0.2).fit(images);
        assertEquals(784, byFraction.numFeatures());
    }
}
