package io.mnistspark.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes dropout repeatable: before every mini-batch a worker fits, seeds that thread's ND4J random generator
 * (which draws the dropout masks) from the training seed and the mini-batch's own pixels. Without it the masks
 * depend on whatever the executor thread drew before, so the same seed gave different runs (measured with
 * conf/best.conf: 98.52% and 98.34% final accuracy from two runs of seed 12345).
 */
final class DropoutSeeder implements TrainingHook {
    private static final long serialVersionUID = 1L;

    private final long seed;

    DropoutSeeder(long seed) {
        this.seed = seed;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        Nd4j.getRandom().setSeed(seedFor(minibatch.getFeatures().sumNumber().doubleValue()));
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        Nd4j.getRandom().setSeed(seedFor(minibatch.getFeatures(0).sumNumber().doubleValue()));
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }

    /** A seed that differs between mini-batches (their pixel sums differ) and repeats for the same one. */
    long seedFor(double pixelSum) {
        return seed * 0x9E3779B97F4A7C15L ^ Double.doubleToLongBits(pixelSum);
    }
}
