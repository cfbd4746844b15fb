package io.mnistspark.train;

import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Runs on the workers after every mini-batch they fit and counts its examples into a Spark accumulator, which
 * the driver sees grow while the tasks run (their heartbeats carry it, {@link RunningTaskCounts}) and completely
 * when they end; it also sums the mini-batch's
 * loss (DL4J's score of the step, computed before the update) times its examples, for the running training loss.
 */
final class ExampleCounter implements TrainingHook {
    private static final long serialVersionUID = 1L;

    private final LongAccumulator fitted;
    private final DoubleAccumulator lossTimesExamples;

    ExampleCounter(LongAccumulator fitted, DoubleAccumulator lossTimesExamples) {
        this.fitted = fitted;
        this.lossTimesExamples = lossTimesExamples;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        fitted.add(minibatch.numExamples());
        lossTimesExamples.add(model.score() * minibatch.numExamples());
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        long examples = minibatch.getFeatures(0).size(0);
        fitted.add(examples);
        lossTimesExamples.add(model.score() * examples);
    }
}
