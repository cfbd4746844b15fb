package io.mnistspark.model;

import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link FusedNetwork}'s one-pass parameter update does what DL4J's updater and subtraction do on the same
 * network: the product's network and a plain DL4J {@code MultiLayerNetwork} with the same (fused) layers are fitted
 * on the same mini-batches, so they differ only in how the update is applied.
 */
class ParameterUpdateTest {
    private static final int INPUTS = FusedLayersTest.INPUTS; // the shape of FusedLayersTest.batch
    private static final int CLASSES = FusedLayersTest.CLASSES;

    private static RunConfig config(String preset, String... overrides) {
        ConfigLoader loader = new ConfigLoader().file(java.nio.file.Path.of("conf/" + preset + ".conf"))
                .override("network.hidden-layers", "[9, 7]");
        for (int i = 0; i < overrides.length; i += 2) {
            loader = loader.override(overrides[i], overrides[i + 1]);
        }
        return loader.load();
    }

    private static MultiLayerNetwork product(RunConfig config) {
        return NetworkFactory.create(config.network(), config.training(), INPUTS, CLASSES);
    }

    /** DL4J's own network (its solver, updater and subtraction) with the same configuration and parameters. */
    private static MultiLayerNetwork plainTwin(MultiLayerNetwork net) {
        MultiLayerNetwork plain = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        plain.init(net.params().dup(), false);
        return plain;
    }

    /** Fits both 30 steps (a new learning rate after 15) and returns the largest parameter difference. */
    private static double fitBoth(MultiLayerNetwork product, MultiLayerNetwork plain) {
        Random random = new Random(5);
        for (int step = 0; step < 30; step++) {
            if (step == 15) {
                double lr = product.getLearningRate(0) / 2;
                product.setLearningRate(lr);
                plain.setLearningRate(lr);
            }
            DataSet data = FusedLayersTest.batch(random, 4 + step % 5);
            product.fit(data);
            plain.fit(data);
            assertEquals(plain.score(), product.score(), 1e-5 * Math.max(1, Math.abs(plain.score())), "step " + step);
        }
        return product.params().sub(plain.params()).amaxNumber().doubleValue();
    }

    @Test
    void sgdStepIsDl4jsUpdaterAndSubtractionBitForBit() {
        MultiLayerNetwork product = product(config("nielsen"));
        assertInstanceOf(FusedNetwork.class, product);
        assertInstanceOf(FusedOptimizer.class, product.getOptimizer());
        assertNotNull(ParameterUpdate.of(product, product.getUpdater()), "nielsen.conf takes the one-pass update");
        MultiLayerNetwork plain = plainTwin(product);
        float[] before = product.params().toFloatVector();
        fitBoth(product, plain);
        assertEquals(30, ((FusedOptimizer) product.getOptimizer()).fusedUpdates, "every step took the one pass");
        assertTrue(!java.util.Arrays.equals(before, product.params().toFloatVector()), "the steps change parameters");
        // libnd4j's sgd_updater multiplies by the float learning rate and the optimizer subtracts: no rounding to differ
        assertArrayEquals(plain.params().toFloatVector(), product.params().toFloatVector());
    }

    @Test
    void adamStepIsDl4jsUpdaterAndSubtractionToFloatRounding() {
        MultiLayerNetwork product = product(config("best", "training.dropout", "0"));
        assertNotNull(ParameterUpdate.of(product, product.getUpdater()), "best.conf takes the one-pass update");
        MultiLayerNetwork plain = plainTwin(product);
        double difference = fitBoth(product, plain);
        assertEquals(30, ((FusedOptimizer) product.getOptimizer()).fusedUpdates, "every step took the one pass");
        double scale = plain.params().amaxNumber().doubleValue();
        assertTrue(difference <= 1e-5 * scale, "parameters differ by " + difference + " (scale " + scale + ")");
        INDArray state = product.getUpdater().getStateViewArray();
        INDArray plainState = plain.getUpdater().getStateViewArray();
        double stateDifference = state.sub(plainState).amaxNumber().doubleValue();
        assertTrue(stateDifference <= 1e-5 * plainState.amaxNumber().doubleValue(),
                "Adam's moments differ by " + stateDifference);
        assertTrue(plainState.amaxNumber().doubleValue() > 0, "Adam's moments were kept");
    }

    @Test
    void anythingElseStepsExactlyAsDl4j() {
        String[][] cases = {
                {"training.l2", "0.01"},
                {"training.updater", "nesterovs"},
                {"training.fused-layers", "false"},
        };
        for (String[] overrides : cases) {
            MultiLayerNetwork product = product(config("nielsen", overrides));
            assertNull(ParameterUpdate.of(product, product.getUpdater()), String.join("=", overrides));
            MultiLayerNetwork plain = plainTwin(product);
            fitBoth(product, plain);
            assertEquals(0, ((FusedOptimizer) product.getOptimizer()).fusedUpdates, String.join("=", overrides));
            assertArrayEquals(plain.params().toFloatVector(), product.params().toFloatVector(),
                    String.join("=", overrides));
        }
    }

    @Test
    void aWorkersNetworkBecomesFusedWithItsParametersAndUpdaterState() {
        MultiLayerNetwork source = product(config("best", "training.dropout", "0"));
        source.fit(FusedLayersTest.batch(new Random(1), 6));
        MultiLayerNetwork plain = new MultiLayerNetwork(source.getLayerWiseConfigurations().clone());
        plain.init(source.params().dup(), false);
        plain.setUpdater(new org.deeplearning4j.nn.updater.MultiLayerUpdater(plain,
                source.getUpdater().getStateViewArray().dup()));
        MultiLayerNetwork worker = FusedNetwork.of(plain);
        assertInstanceOf(FusedOptimizer.class, worker.getOptimizer());
        assertEquals(source.params(), worker.params());
        assertEquals(source.getUpdater().getStateViewArray(), worker.getUpdater().getStateViewArray());
        DataSet next = FusedLayersTest.batch(new Random(2), 6);
        source.fit(next);
        worker.fit(next);
        assertEquals(1, ((FusedOptimizer) worker.getOptimizer()).fusedUpdates);
        assertEquals(source.params(), worker.params(), "the same step from the same state");
        worker.clear();
        worker.fit(next);
        assertEquals(1, ((FusedOptimizer) worker.getOptimizer()).fusedUpdates, "a new fused solver after clear()");
    }
}
