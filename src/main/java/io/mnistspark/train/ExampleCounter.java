package io.mnistspark.train;

import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Runs on the workers after every mini-batch they fit and counts its examples into a Spark accumulator, which
 * the driver sees grow as the workers finish their share of each averaging round.
 */
final class ExampleCounter implements TrainingHook {
    private static final long serialVersionUID = 1L;

    private final LongAccumulator fitted;

    ExampleCounter(LongAccumulator fitted) {
        this.fitted = fitted;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        fitted.add(minibatch.numExamples());
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        fitted.add(minibatch.getFeatures(0).size(0));
    }
}
