package io.mnistspark.train;

import org.apache.spark.api.java.JavaRDDLike;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;

/**
 * DL4J's parameter-averaging master, told how many mini-batches the next {@code fit} holds. DL4J counts every
 * RDD it is given before it trains (one extra pass that builds every mini-batch only to count it); the
 * trainer's rounds know their size from the epoch plan, so the count is skipped. Without a known size (the
 * {@code export} approach counts its files) DL4J counts as usual. Its workers train {@code FusedNetwork}s
 * ({@link FusedTrainingWorker}), and the parameters and updater state it broadcasts and they return serialize
 * in bulk ({@link BulkSerializedArray}).
 */
final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {
    private static final long serialVersionUID = 1L;

    private long expected = -1;

    RoundTrainingMaster(Builder builder) {
        super(builder);
    }

    /** The number of mini-batches of the next {@code fit}, or -1 to let DL4J count them. */
    void expect(long batches) {
        expected = batches;
    }

    /**
     * DL4J's worker for the next round, as DL4J makes it, except that the parameters and updater state it
     * broadcasts serialize in bulk ({@link BulkSerializedArray}; neither is copied).
     */
    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
        MultiLayerNetwork net = network.getNetwork();
        Updater updater = net.getUpdater();
        NetBroadcastTuple tuple = new NetBroadcastTuple(net.getLayerWiseConfigurations(),
                BulkSerializedArray.forSpark(net.params()),
                updater == null ? null : BulkSerializedArray.forSpark(updater.getStateViewArray()));
        if (collectTrainingStats) {
            stats.logBroadcastStart();
        }
        Broadcast<NetBroadcastTuple> broadcast = network.getSparkContext().broadcast(tuple);
        if (collectTrainingStats) {
            stats.logBroadcastEnd();
        }
        WorkerConfiguration worker = new WorkerConfiguration(false, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, collectTrainingStats);
        return new FusedTrainingWorker(new ParameterAveragingTrainingWorker(broadcast, saveUpdater, worker,
                trainingHookList, listeners, getRouterProvider()));
    }

    @Override
    protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> trainingData) {
        if (expected >= 0) {
            long known = expected;
            expected = -1;
            return known;
        }
        return super.getTotalDataSetObjectCount(trainingData);
    }
}
