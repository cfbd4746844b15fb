package io.mnistspark.train;

import io.mnistspark.config.RunConfig;
import io.mnistspark.config.TrainingLoss;
import io.mnistspark.config.TrainingApproach;
import io.mnistspark.data.EpochPlan;
import io.mnistspark.evaluate.EvaluationResult;
import io.mnistspark.evaluate.Evaluator;
import io.mnistspark.model.NetworkFactory;
import io.mnistspark.model.NetworkSize;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The epoch loop: parameter-averaging SGD with DL4J's {@link SparkDl4jMultiLayer}, then the training loss,
 * validation and test accuracy of every epoch, computed on the executors.
 */
public final class DistributedTrainer {
    private final JavaSparkContext sc;
    private final RunConfig config;
    private final Path scratch;

    /**
     * @param scratch a directory this run may use for temporary files (the {@code export} approach); it is
     *                emptied after every epoch
     */
    public DistributedTrainer(JavaSparkContext sc, RunConfig config, Path scratch) {
        this.sc = sc;
        this.config = config;
        this.scratch = scratch;
    }

    /** The number of workers: {@code spark.workers}, or Spark's default parallelism when that is 0. */
    public static int workers(JavaSparkContext sc, RunConfig config) {
        return config.spark().workers() > 0 ? config.spark().workers() : sc.defaultParallelism();
    }

    public TrainingOutcome train(TrainingData data, EpochListener listener) {
        return train(data, listener, null, EpochCheckpointer.NONE);
    }

    /**
     * Trains from a fresh network ({@code from == null}) or continues after {@code from.epochsDone()} epochs,
     * giving every finished epoch to {@code checkpointer} before {@code listener}, and stopping early when
     * {@code training.early-stopping} says so ({@link EarlyStopping}; the best validation epoch is kept either
     * way). A NaN or infinite loss or parameter stops training with {@link TrainingDivergedException} before it
     * reaches a checkpoint.
     */
    public TrainingOutcome train(TrainingData data, EpochListener listener, TrainingStart from,
                                 EpochCheckpointer checkpointer) {
        // before anything is allocated: the workers of local mode each hold a copy in this JVM
        NetworkSize.estimate(config.network(), config.training(), config.spark(), data.pixelsPerImage(),
                data.classes(), sc.isLocal() ? workers(sc, config) : 0).checkAgainstThisJvm(config.network());
        MultiLayerNetwork initial = NetworkFactory.create(config.network(), config.training(),
                data.pixelsPerImage(), data.classes());
        if (from != null) {
            initial = from.continueWith(initial);
        }
        int workers = workers(sc, config);
        RoundTrainingMaster master = TrainingMasters.forRounds(config.spark(),
                config.training(), workers, new Path(scratch, "export").toString());
        if (from != null) {
            SplitRandomness.restore(master, from.splitRandomness());
        }
        LongAccumulator fitted = sc.sc().longAccumulator("examples fitted");
        DoubleAccumulator lossTimesExamples = sc.sc().doubleAccumulator("fitted loss x examples");
        master.addHook(new ExampleCounter(fitted, lossTimesExamples));
        if (config.training().dropout() > 0) {
            master.addHook(new DropoutSeeder(config.training().seed()));
        }
        SparkDl4jMultiLayer network = new SparkDl4jMultiLayer(sc, initial, master);
        List<AveragingTimes> averaging = new ArrayList<>();
        int evaluationBatch = config.spark().evaluationBatchSize();
        int classes = data.classes();
        Evaluator evaluator = new Evaluator(classes, evaluationBatch);
        double lossScale = NetworkFactory.reportedLossScale(config.network());
        JavaRDD<DataSet> trainInOrder = data.train().inOrder(evaluationBatch, classes);
        JavaRDD<DataSet> validation = data.validation() == null ? null : data.validation().inOrder(evaluationBatch, classes);
        String dataKey = sc.sc().applicationId() + "/" + data.train().rdd().id();
        boolean direct = config.spark().rddTrainingApproach() != TrainingApproach.EXPORT;

        List<EpochResult> history = new ArrayList<>(from == null ? List.of() : from.history());
        EvaluationResult lastTest = null;
        double fitSeconds = history.stream().mapToDouble(EpochResult::seconds).sum();
        double evaluationSeconds = history.stream().mapToDouble(EpochResult::evaluationSeconds).sum();
        Path lastCheckpoint = from == null ? null : from.checkpoint();
        int epochs = config.training().epochs();
        EarlyStopping stopping = EarlyStopping.start(config.training().earlyStopping(), validation != null, from);
        for (int epoch = history.size() + 1; epoch <= epochs && !stopping.stopped(); epoch++) {
            long start = System.nanoTime();
            EpochProgress progress = new EpochProgress(sc.sc(), epoch, epochs, data.train().count(), fitted);
            listener.epochStarted(progress);
            EpochPlan plan = EpochPlan.of(dataKey, data.train().blockCounts(), config.training().seed(), epoch, workers,
                    config.training().batchSize(), config.spark().averagingFrequency(), config.training().shuffleWindow())
                    // safe only because DL4J's worker then fits each mini-batch before it builds the next: no
                    // prefetch queue, no export, and (TrainingMasters, EpochPlan) no persisted RDD, one partition
                    // per worker and a round no larger than one averaging split, so DL4J neither caches, splits
                    // nor repartitions the round's mini-batches
                    .reusingBatchArrays(direct && config.spark().prefetchBatches() == 0);
            NetworkFactory.applyLearningRate(network.getNetwork(), config.network(), config.training(), epoch);
            long examplesBefore = fitted.value();
            double lossBefore = lossTimesExamples.value();
            try {
                for (int round = 0; round < plan.rounds(); round++) {
                    if (direct) {
                        master.expect(plan.batchesIn(round));
                    }
                    // DL4J counts every fit as an epoch; the network's epoch count stays the epochs done
                    network.getNetwork().setEpochCount(epoch - 1);
                    network.fit(plan.round(data.train(), round, classes));
                    deleteScratchExports();
                }
                network.getNetwork().setEpochCount(epoch);
            } finally {
                progress.finishFit();
                deleteScratchExports();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (master.getIsCollectTrainingStats()) {
                averaging.add(AveragingTimes.of(epoch, master.getTrainingStats(), workers));
                master.setCollectTrainingStats(false); // a fresh collection for the next epoch
                master.setCollectTrainingStats(true);
            }

            long evaluationStart = System.nanoTime();
            double trainLoss = lossScale * (config.spark().trainingLoss() == TrainingLoss.RUNNING
                    ? (lossTimesExamples.value() - lossBefore) / (fitted.value() - examplesBefore)
                    : trainingLoss(network, trainInOrder, evaluationBatch));
            TrainingDivergedException.check(epoch, trainLoss, history.stream().mapToDouble(EpochResult::trainLoss)
                            .min().orElse(Double.NaN), network.getNetwork(), config.training().learningRate(epoch),
                    lastCheckpoint);
            Double validationAccuracy = validation == null ? null
                    : evaluator.evaluate(sc, network.getNetwork(), data.validation()).accuracy();
            stopping.observe(epoch, validationAccuracy,
                    () -> lossScale * trainingLoss(network, validation, evaluationBatch), network.getNetwork());
            lastTest = evaluator.evaluate(sc, network.getNetwork(), data.test());
            double epochEvaluationSeconds = (System.nanoTime() - evaluationStart) / 1e9;
            OffHeapMemory.releaseEpochGarbage();

            fitSeconds += seconds;
            evaluationSeconds += epochEvaluationSeconds;
            EpochResult result = new EpochResult(epoch, trainLoss, validationAccuracy, lastTest.accuracy(),
                    lastTest.correct(), lastTest.total(), seconds, epochEvaluationSeconds);
            history.add(result);
            Path written = checkpointer.epochFinished(epoch, stopping.stopped() ? epoch : epochs, network.getNetwork(),
                    SplitRandomness.save(master), history, stopping.bestSoFar());
            if (written != null) {
                lastCheckpoint = written;
            }
            listener.epochFinished(result, epochs);
        }
        sc.clearJobGroup();
        if (lastTest == null) {
            // resumed from the checkpoint of the last epoch: only the final evaluation is missing
            lastTest = evaluator.evaluate(sc, network.getNetwork(), data.test());
        }
        return new TrainingOutcome(network.getNetwork(), history, lastTest, fitSeconds, evaluationSeconds,
                workers, averaging, stopping.bestSoFar(), stopping.stopReason());
    }

    /**
     * DL4J's mean score over {@code data} (the training or the validation images). {@code calculateScore}
     * broadcasts the network's live parameter array, and Spark 3.5 closes AutoCloseable broadcast values (an INDArray is one) when the
     * broadcast is cleaned up, which would free the parameters under the network; it therefore scores a copy.
     */
    private double trainingLoss(SparkDl4jMultiLayer network, JavaRDD<DataSet> data, int batchSize) {
        return new SparkDl4jMultiLayer(sc, network.getNetwork().clone(), network.getTrainingMaster())
                .calculateScore(data, true, batchSize);
    }

    private void deleteScratchExports() {
        try {
            Path exports = new Path(scratch, "export");
            FileSystem fs = exports.getFileSystem(sc.hadoopConfiguration());
            if (fs.exists(exports)) {
                fs.delete(exports, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete temporary files under " + scratch, e);
        }
    }
}
