package io.mnistspark.train;

import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.EarlyStoppingSpec;
import io.mnistspark.config.InvalidConfigException;
import io.mnistspark.config.RunConfig;
import io.mnistspark.config.ValidationMetric;
import io.mnistspark.model.NetworkFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {
    private static final MultiLayerNetwork NETWORK = network();

    private static MultiLayerNetwork network() {
        RunConfig config = new ConfigLoader().override("network.hidden-layers", "[2]").load();
        return NetworkFactory.create(config.network(), config.training(), 4, 10);
    }

    /** Feeds the epochs' values (accuracies or losses) until it stops; returns the last epoch trained. */
    private static int run(EarlyStopping stopping, List<Double> values) {
        int epoch = 0;
        for (double value : values) {
            epoch++;
            stopping.observe(epoch, value, () -> value, NETWORK);
            if (stopping.stopped()) {
                break;
            }
        }
        return epoch;
    }

    @Test
    void accuracyMustRiseByMoreThanMinDeltaWithinPatienceEpochs() {
        EarlyStopping stopping = EarlyStopping.start(new EarlyStoppingSpec(ValidationMetric.VALIDATION_ACCURACY, 2,
                0.01), true, null);
        // 0.905 is not 0.01 better than 0.90; 0.92 is; then two epochs without
        assertEquals(5, run(stopping, List.of(0.90, 0.905, 0.92, 0.925, 0.91, 0.99)));
        assertEquals(new BestValidation(3, "validation-accuracy", 0.92), stopping.bestSoFar().best());
        assertEquals(2, stopping.bestSoFar().epochsWithoutImprovement());
        assertNotSame(NETWORK, stopping.bestSoFar().network(), "a copy, not the network training goes on with");
        assertTrue(stopping.stopReason().startsWith("validation-accuracy did not improve by more than 0.01 for 2"
                + " epochs (patience 2) after its best, 92.00% at epoch 3"), stopping.stopReason());
    }

    @Test
    void aLowerLossIsBetterAndPatienceZeroNeverStops() {
        EarlyStopping loss = EarlyStopping.start(new EarlyStoppingSpec(ValidationMetric.VALIDATION_LOSS, 1, 0.0),
                true, null);
        assertTrue(loss.needsLoss());
        assertEquals(3, run(loss, List.of(0.5, 0.4, 0.4, 0.1)));
        assertEquals(new BestValidation(2, "validation-loss", 0.4), loss.bestSoFar().best());

        EarlyStopping off = EarlyStopping.start(new EarlyStoppingSpec(ValidationMetric.VALIDATION_ACCURACY, 0, 0.0),
                true, null);
        assertEquals(5, run(off, List.of(0.9, 0.8, 0.8, 0.8, 0.8)));
        assertNull(off.stopReason());
        assertEquals(1, off.bestSoFar().best().epoch(), "the best is kept without early stopping too");
        assertFalse(off.needsLoss());
    }

    @Test
    void aResumedRunContinuesTheCountAndWithoutValidationNothingIsKept() {
        BestSoFar saved = new BestSoFar(new BestValidation(4, "validation-accuracy", 0.95), NETWORK, 2);
        TrainingStart from = new TrainingStart(NETWORK, List.of(), new byte[0], null, saved);
        EarlyStopping resumed = EarlyStopping.start(new EarlyStoppingSpec(ValidationMetric.VALIDATION_ACCURACY, 3,
                0.0), true, from);
        resumed.observe(7, 0.94, () -> 0, NETWORK);
        assertTrue(resumed.stopped(), "2 epochs without improvement before the resume, a third after it");
        assertEquals(saved.best(), resumed.bestSoFar().best());

        EarlyStopping none = EarlyStopping.start(new EarlyStoppingSpec(ValidationMetric.VALIDATION_ACCURACY, 0, 0.0),
                false, null);
        none.observe(1, null, () -> 0, NETWORK);
        assertEquals(BestSoFar.NONE, none.bestSoFar());
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EarlyStopping.start(
                new EarlyStoppingSpec(ValidationMetric.VALIDATION_ACCURACY, 3, 0.0), false, null));
        assertTrue(e.getMessage().startsWith("training.early-stopping.patience = 3: early stopping needs validation"),
                e.getMessage());
    }
}
