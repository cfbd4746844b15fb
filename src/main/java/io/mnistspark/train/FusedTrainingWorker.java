package io.mnistspark.train;

import io.mnistspark.model.FusedNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * DL4J-Spark's parameter-averaging worker whose network is a {@link FusedNetwork}: the worker DL4J made does all
 * the work (the broadcast, the listeners, the mini-batches, the results and their statistics); this one only
 * turns the network it builds into the same network stepping as a fused one, and hands its results back with
 * arrays that serialize in bulk ({@link BulkSerializedArray}). DL4J's worker keeps its state in private fields,
 * so it is wrapped rather than extended.
 */
final class FusedTrainingWorker extends ParameterAveragingTrainingWorker {
    private static final long serialVersionUID = 1L;

    private final ParameterAveragingTrainingWorker worker;

    FusedTrainingWorker(ParameterAveragingTrainingWorker worker) {
        super(null, false, worker.getDataConfiguration(), null, null, null);
        this.worker = worker;
    }

    @Override
    public MultiLayerNetwork getInitialModel() {
        return FusedNetwork.of(worker.getInitialModel());
    }

    @Override
    public ComputationGraph getInitialModelGraph() {
        return worker.getInitialModelGraph();
    }

    @Override
    public void removeHook(TrainingHook hook) {
        worker.removeHook(hook);
    }

    @Override
    public void addHook(TrainingHook hook) {
        worker.addHook(hook);
    }

    @Override
    public ParameterAveragingTrainingResult processMinibatch(DataSet data, MultiLayerNetwork net, boolean isLast) {
        return bulk(worker.processMinibatch(data, net, isLast));
    }

    @Override
    public ParameterAveragingTrainingResult processMinibatch(DataSet data, ComputationGraph graph, boolean isLast) {
        return bulk(worker.processMinibatch(data, graph, isLast));
    }

    @Override
    public ParameterAveragingTrainingResult processMinibatch(MultiDataSet data, ComputationGraph graph,
                                                             boolean isLast) {
        return bulk(worker.processMinibatch(data, graph, isLast));
    }

    @Override
    public Pair<ParameterAveragingTrainingResult, SparkTrainingStats> processMinibatchWithStats(
            DataSet data, MultiLayerNetwork net, boolean isLast) {
        return bulk(worker.processMinibatchWithStats(data, net, isLast));
    }

    @Override
    public Pair<ParameterAveragingTrainingResult, SparkTrainingStats> processMinibatchWithStats(
            DataSet data, ComputationGraph graph, boolean isLast) {
        return bulk(worker.processMinibatchWithStats(data, graph, isLast));
    }

    @Override
    public Pair<ParameterAveragingTrainingResult, SparkTrainingStats> processMinibatchWithStats(
            MultiDataSet data, ComputationGraph graph, boolean isLast) {
        return bulk(worker.processMinibatchWithStats(data, graph, isLast));
    }

    @Override
    public ParameterAveragingTrainingResult getFinalResult(MultiLayerNetwork net) {
        return bulk(worker.getFinalResult(net));
    }

    @Override
    public ParameterAveragingTrainingResult getFinalResult(ComputationGraph graph) {
        return bulk(worker.getFinalResult(graph));
    }

    @Override
    public ParameterAveragingTrainingResult getFinalResultNoData() {
        return worker.getFinalResultNoData();
    }

    @Override
    public Pair<ParameterAveragingTrainingResult, SparkTrainingStats> getFinalResultNoDataWithStats() {
        return worker.getFinalResultNoDataWithStats();
    }

    @Override
    public Pair<ParameterAveragingTrainingResult, SparkTrainingStats> getFinalResultWithStats(MultiLayerNetwork net) {
        return bulk(worker.getFinalResultWithStats(net));
    }

    @Override
    public Pair<ParameterAveragingTrainingResult, SparkTrainingStats> getFinalResultWithStats(ComputationGraph graph) {
        return bulk(worker.getFinalResultWithStats(graph));
    }

    /**
     * The same result with its parameters and updater state as {@link BulkSerializedArray}s (under Spark's Java
     * serialization): they go back to the driver as raw bytes instead of ND4J's value-by-value serialization.
     * Neither is copied.
     */
    static ParameterAveragingTrainingResult bulk(ParameterAveragingTrainingResult result) {
        if (result == null || result.getParameters() == null) {
            return result;
        }
        return new ParameterAveragingTrainingResult(BulkSerializedArray.forSpark(result.getParameters()),
                BulkSerializedArray.forSpark(result.getUpdaterState()), result.getScore(), result.getSparkTrainingStats(),
                result.getListenerMetaData(), result.getListenerStaticInfo(), result.getListenerUpdates());
    }

    private static Pair<ParameterAveragingTrainingResult, SparkTrainingStats> bulk(
            Pair<ParameterAveragingTrainingResult, SparkTrainingStats> result) {
        return result == null ? null : new Pair<>(bulk(result.getFirst()), result.getSecond());
    }

    @Override
    public WorkerConfiguration getDataConfiguration() {
        return worker.getDataConfiguration();
    }

    @Override
    public long getInstanceId() {
        return worker.getInstanceId();
    }
}
