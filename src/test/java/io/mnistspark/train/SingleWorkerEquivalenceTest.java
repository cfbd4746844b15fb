package io.mnistspark.train;

import io.mnistspark.TestSpark;
import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import io.mnistspark.data.IdxHeader;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.data.EpochPlan;
import io.mnistspark.data.ImageBlocks;
import io.mnistspark.model.FusedNetwork;
import io.mnistspark.model.NetworkFactory;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With one worker, parameter averaging on Spark is plain SGD: the distributed run and a single-process
 * DL4J fit on the same mini-batches in the same order end with identical parameters (DL4J's own test
 * pattern, TestCompareParameterAveragingSparkVsSingleMachine).
 */
class SingleWorkerEquivalenceTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void oneWorkerOnSparkEqualsSingleProcessFit() {
        assertOneWorkerEqualsSingleProcessFit(oneWorker().override("training.epochs", "2").load());
    }

    /** Without prefetching the worker builds its mini-batches in arrays it reuses (BatchArrays): the same steps. */
    @Test
    void oneWorkerBuildingItsOwnBatchesEqualsSingleProcessFit() {
        assertOneWorkerEqualsSingleProcessFit(oneWorker().override("training.epochs", "2")
                .override("spark.prefetch-batches", "0").load());
    }

    private void assertOneWorkerEqualsSingleProcessFit(RunConfig config) {
        LabeledImages train = IdxFixtures.learnable(400, 8, 8, 3);
        LabeledImages test = IdxFixtures.learnable(50, 8, 8, 4);
        int batch = config.training().batchSize();

        TrainingOutcome spark = trainOnSpark(config, train, test, 1);

        MultiLayerNetwork single = NetworkFactory.create(config.network(), config.training(),
                train.pixelsPerImage(), 10);
        float[] initial = single.params().toFloatVector();
        for (int epoch = 1; epoch <= config.training().epochs(); epoch++) {
            List<DataSet> batches = epochBatches(train, config, epoch);
            assertEquals(40, batches.size());
            for (DataSet ds : batches) {
                single.fit(ds);
            }
        }

        float[] expected = single.params().toFloatVector();
        assertFalse(java.util.Arrays.equals(initial, expected), "training must change the parameters");
        assertArrayEquals(expected, spark.network().params().toFloatVector());
        assertEquals(2, spark.history().size());
    }

    /** The workers step as the single process does: their networks are the product's {@code FusedNetwork}. */
    @Test
    void sparkWorkersTrainTheProductsNetwork() {
        RunConfig config = oneWorker().load();
        MultiLayerNetwork net = NetworkFactory.create(config.network(), config.training(), 64, 10);
        RoundTrainingMaster master = TrainingMasters.forRounds(config.spark(), config.training(), 1, null);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(TestSpark.context(), net, master);
        MultiLayerNetwork workerNet = master.getWorkerInstance(sparkNet).getInitialModel();
        assertInstanceOf(FusedNetwork.class, net);
        assertInstanceOf(FusedNetwork.class, workerNet);
        assertEquals(net.params(), workerNet.params());
        assertEquals("FusedOptimizer", workerNet.getOptimizer().getClass().getSimpleName());
    }

    /** What a round broadcasts and what its worker returns serialize in bulk (Spark's Java serialization here). */
    @Test
    void theRoundsArraysTravelInBulk() throws ReflectiveOperationException {
        RunConfig config = oneWorker().override("training.updater", "adam").override("training.learning-rate", "0.001").load();
        MultiLayerNetwork net = NetworkFactory.create(config.network(), config.training(), 64, 10);
        RoundTrainingMaster master = TrainingMasters.forRounds(config.spark(), config.training(), 1, null);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(TestSpark.context(), net, master);
        ParameterAveragingTrainingWorker worker = master.getWorkerInstance(sparkNet);

        java.lang.reflect.Field inner = FusedTrainingWorker.class.getDeclaredField("worker");
        inner.setAccessible(true);
        java.lang.reflect.Field broadcast = ParameterAveragingTrainingWorker.class.getDeclaredField("broadcast");
        broadcast.setAccessible(true);
        NetBroadcastTuple sent = ((Broadcast<NetBroadcastTuple>) broadcast.get(inner.get(worker))).getValue();
        assertInstanceOf(BulkSerializedArray.class, sent.getParameters());
        assertInstanceOf(BulkSerializedArray.class, sent.getUpdaterState());
        assertEquals(net.params(), sent.getParameters());

        MultiLayerNetwork workerNet = worker.getInitialModel();
        ParameterAveragingTrainingResult result = worker.getFinalResult(workerNet);
        assertInstanceOf(BulkSerializedArray.class, result.getParameters());
        assertInstanceOf(BulkSerializedArray.class, result.getUpdaterState());
        assertEquals(workerNet.params(), result.getParameters());
    }

    @Test
    void learningRateDecayReachesTheSparkWorkersEveryEpoch() {
        LabeledImages train = IdxFixtures.learnable(400, 8, 8, 3);
        LabeledImages test = IdxFixtures.learnable(50, 8, 8, 4);
        RunConfig config = oneWorker().override("training.learning-rate-decay", "0.5")
                .override("training.epochs", "3").load();
        assertEquals(0.125, config.training().learningRate(3), 1e-12);

        TrainingOutcome spark = trainOnSpark(config, train, test, 1);

        // single process, the rate set by hand: 0.5, 0.25, 0.125 (DL4J's rate is half of it for the quadratic cost)
        MultiLayerNetwork decayed = NetworkFactory.create(config.network(), config.training(),
                train.pixelsPerImage(), 10);
        MultiLayerNetwork constant = NetworkFactory.create(config.network(), config.training(),
                train.pixelsPerImage(), 10);
        double[] rates = {0.5, 0.25, 0.125};
        for (int epoch = 1; epoch <= 3; epoch++) {
            decayed.setLearningRate(rates[epoch - 1] / 2);
            for (DataSet ds : epochBatches(train, config, epoch)) {
                decayed.fit(ds);
                constant.fit(ds.copy());
            }
        }
        assertArrayEquals(decayed.params().toFloatVector(), spark.network().params().toFloatVector());
        assertFalse(java.util.Arrays.equals(constant.params().toFloatVector(), spark.network().params().toFloatVector()),
                "the decay must change the result");
    }

    @Test
    void runningTrainingLossIsTheMeanLossOfTheFittedMiniBatches() {
        LabeledImages train = IdxFixtures.learnable(400, 8, 8, 3);
        LabeledImages test = IdxFixtures.learnable(50, 8, 8, 4);
        RunConfig config = oneWorker().override("training.epochs", "2").override("spark.training-loss", "running").load();
        TrainingOutcome spark = trainOnSpark(config, train, test, 1);

        MultiLayerNetwork single = NetworkFactory.create(config.network(), config.training(),
                train.pixelsPerImage(), 10);
        for (int epoch = 1; epoch <= 2; epoch++) {
            double sum = 0;
            int examples = 0;
            for (DataSet ds : epochBatches(train, config, epoch)) {
                single.fit(ds);
                sum += single.score() * ds.numExamples(); // the step's loss, computed before its update
                examples += ds.numExamples();
            }
            double expected = sum / examples * NetworkFactory.reportedLossScale(config.network());
            assertEquals(expected, spark.history().get(epoch - 1).trainLoss(), 1e-9 * expected, "epoch " + epoch);
        }
        assertTrue(spark.history().get(1).trainLoss() < spark.history().get(0).trainLoss(), "the loss falls");
    }

    @Test
    void dropoutRunsRepeatForTheSameSeed() {
        LabeledImages train = IdxFixtures.learnable(400, 8, 8, 3);
        LabeledImages test = IdxFixtures.learnable(50, 8, 8, 4);
        float[] first = trainedParameters(twoWorkersWithDropout("12345"), train, test);
        float[] second = trainedParameters(twoWorkersWithDropout("12345"), train, test);
        assertArrayEquals(first, second, "the same seed must give the same dropout masks");
        float[] otherSeed = trainedParameters(twoWorkersWithDropout("7"), train, test);
        assertFalse(java.util.Arrays.equals(first, otherSeed));
    }

    /** One worker, one averaging split per epoch: all 40 mini-batches run in order on it. */
    private static ConfigLoader oneWorker() {
        return new ConfigLoader()
                .override("network.hidden-layers", "[16]")
                .override("training.learning-rate", "0.5")
                .override("spark.workers", "1")
                .override("spark.averaging-frequency", "1000");
    }

    private static RunConfig twoWorkersWithDropout(String seed) {
        return new ConfigLoader()
                .override("network.hidden-layers", "[32]")
                .override("training.dropout", "0.5")
                .override("training.learning-rate", "0.5")
                .override("training.epochs", "2")
                .override("training.seed", seed)
                .override("spark.workers", "2")
                .override("spark.averaging-frequency", "5")
                .load();
    }

    private float[] trainedParameters(RunConfig config, LabeledImages train, LabeledImages test) {
        return trainOnSpark(config, train, test, 2).network().params().toFloatVector();
    }

    private TrainingOutcome trainOnSpark(RunConfig config, LabeledImages train, LabeledImages test, int partitions) {
        try (TrainingData data = TrainingData.of(TestSpark.context(), ImageBlocks.of(TestSpark.context(), train), null,
                ImageBlocks.of(TestSpark.context(), test), 10, "fixture")) {
            return new DistributedTrainer(TestSpark.context(), config, new Path(dir.toUri()))
                    .train(data, (result, total) -> { });
        }
    }

    @Test
    void epochsShuffleDifferentlyButRepeatably() {
        LabeledImages images = IdxFixtures.learnable(30, 4, 4, 5);
        RunConfig config = new ConfigLoader().override("training.batch-size", "30").load();
        List<Integer> first = labels(epochBatches(images, config, 1));
        assertEquals(first, labels(epochBatches(images, config, 1)));
        assertFalse(first.equals(labels(epochBatches(images, config, 2))));
        List<Integer> sorted = new ArrayList<>(first);
        sorted.sort(Integer::compare);
        List<Integer> original = new ArrayList<>();
        for (int i = 0; i < images.count(); i++) {
            original.add(images.label(i));
        }
        original.sort(Integer::compare);
        assertEquals(original, sorted, "a permutation of the same images");
    }

    /** The mini-batches of one worker's epoch, computed on the driver with the executors' plan. */
    static List<DataSet> epochBatches(LabeledImages images, RunConfig config, int epoch) {
        return EpochPlan.oneWorker(images, config.training().seed(), epoch, config.training().batchSize(),
                config.spark().averagingFrequency(), config.training().shuffleWindow(), 10);
    }

    private static List<Integer> labels(List<DataSet> batches) {
        List<Integer> labels = new ArrayList<>();
        for (DataSet ds : batches) {
            for (int r = 0; r < ds.numExamples(); r++) {
                labels.add(ds.getLabels().getRow(r).argMax().getInt(0));
            }
        }
        return labels;
    }
}
