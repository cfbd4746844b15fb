package io.mnistspark.train;

import io.mnistspark.RunFailedException;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Locale;

/** The loss or the parameters ran away (see {@link #check}): training stopped (exit code 1, the configuration needs changing). */
public class TrainingDivergedException extends RunFailedException {
    public TrainingDivergedException(String message) {
        super(message);
    }

    /** A parameter larger than this in magnitude has run away: trained digit networks stay below 100. */
    static final double PARAMETER_LIMIT = 1e6;
    /** A training loss this many times the lowest of the earlier epochs has run away. */
    static final double LOSS_GROWTH_LIMIT = 10;

    /**
     * Stops training when, after {@code epoch}, the training loss is NaN or infinite, or has grown more than
     * tenfold over the lowest loss of the earlier epochs, or a parameter of the network is NaN, infinite or
     * larger than 1e6 in magnitude. The rule holds for every updater: SGD's runaway steps make the loss
     * infinite, while Adam's steps (of at most the learning rate each) make the parameters huge with a loss
     * that a saturated output keeps finite. The message names the epoch and the last good checkpoint
     * ({@code null} when none was written).
     *
     * @param lowestEarlierLoss the lowest training loss of the epochs before, NaN for the first
     */
    static void check(int epoch, double trainLoss, double lowestEarlierLoss, MultiLayerNetwork network,
                      double learningRate, Path lastCheckpoint) {
        String problem = null;
        double largest = network.params().amaxNumber().doubleValue();
        if (!Double.isFinite(trainLoss)) {
            problem = "the training loss is " + trainLoss;
        } else if (!Double.isFinite(network.params().sumNumber().doubleValue()) || !Double.isFinite(largest)) {
            problem = "the parameters hold NaN or infinite values";
        } else if (largest > PARAMETER_LIMIT) {
            problem = String.format(Locale.ROOT, "a parameter has grown to %.3g (the limit is %.0g)", largest,
                    PARAMETER_LIMIT);
        } else if (lowestEarlierLoss > 0 && trainLoss > LOSS_GROWTH_LIMIT * lowestEarlierLoss) {
            problem = String.format(Locale.ROOT, "the training loss grew from %.4g to %.4g", lowestEarlierLoss,
                    trainLoss);
        }
        if (problem != null) {
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                    "training diverged in epoch %d: %s (try a smaller training.learning-rate than %s); %s",
                    epoch, problem, learningRate, lastCheckpoint == null ? "no checkpoint was written"
                            : "the last good checkpoint is " + lastCheckpoint));
        }
    }
}
