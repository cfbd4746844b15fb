package io.mnistspark.model;

import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The forward pass gives DL4J's own outputs bit for bit, and declines networks it does not cover. */
class DenseForwardTest {
    private static final int INPUTS = 784;

    private static MultiLayerNetwork network(String preset, boolean fused, String... overrides) {
        ConfigLoader loader = new ConfigLoader().file(java.nio.file.Path.of("conf/" + preset + ".conf"))
                .override("training.fused-layers", Boolean.toString(fused));
        for (int i = 0; i < overrides.length; i += 2) {
            loader = loader.override(overrides[i], overrides[i + 1]);
        }
        RunConfig config = loader.load();
        return NetworkFactory.create(config.network(), config.training(), INPUTS, 10);
    }

    /** Pixel-like inputs: most zero, the rest grey levels / 255 (as score feeds them). */
    private static float[] inputs(Random random, int rows) {
        float[] values = new float[rows * INPUTS];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(3) == 0 ? random.nextInt(256) / 255f : 0f;
        }
        return values;
    }

    private static void assertSameOutputs(MultiLayerNetwork net, String what) {
        DenseForward forward = DenseForward.of(net);
        assertNotNull(forward, what);
        Random random = new Random(7);
        for (int rows : new int[]{1000, 37, 1, 1000}) {
            float[] values = inputs(random, rows);
            INDArray input = Nd4j.create(values, new long[]{rows, INPUTS}, 'c');
            float[] expected = net.output(input, false).dup('c').data().asFloat();
            float[] actual = forward.output(values, rows);
            assertEquals(expected.length, actual.length, what);
            for (int i = 0; i < expected.length; i++) {
                if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                    throw new AssertionError(what + ", " + rows + " rows: output " + i + " is " + actual[i]
                            + ", DL4J's " + expected[i]);
                }
            }
        }
    }

    @Test
    void everyPresetsNetworkGivesDl4jsOutputsBitForBit() {
        for (String preset : new String[]{"nielsen", "fast", "best", "keras-adam"}) {
            assertSameOutputs(network(preset, false), preset);
            // a fused network computes its own way; its model file, which scoring loads, holds DL4J's layers
            assertNull(DenseForward.of(network(preset, true)), preset + " with fused layers");
        }
        assertSameOutputs(network("fast", false, "network.activation", "tanh"), "tanh");
        // what scoring runs: a model file written from a fused (trained) network, read back
        MultiLayerNetwork trained = network("best", true, "network.hidden-layers", "[40, 30]");
        assertSameOutputs(ModelStore.restore(ModelStore.bytes(trained), "test"), "a restored model file");
        assertSameOutputs(network("fast", false, "network.activation", "identity"), "identity");
        assertSameOutputs(network("fast", false, "network.activation", "leaky-relu"), "leaky relu");
    }

    @Test
    void othersAreLeftToDl4j() {
        NeuralNetConfiguration.ListBuilder plain = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build());
        assertNotNull(DenseForward.of(init(plain.build())));
        assertNull(DenseForward.of(stack(new NeuralNetConfiguration.Builder().weightNoise(new DropConnect(0.5)),
                new DenseLayer.Builder().nIn(4).nOut(3).build())), "weight noise");
        assertNull(DenseForward.of(stack(new NeuralNetConfiguration.Builder(),
                new DenseLayer.Builder().nIn(4).nOut(3).hasBias(false).build())), "no bias");
        assertNull(DenseForward.of(init(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).build())
                .layer(new DenseLayer.Builder().nIn(3).nOut(2).build()).build())), "no output layer");
        assertNull(DenseForward.of(stack(new NeuralNetConfiguration.Builder(),
                new DenseLayer.Builder().nIn(4).nOut(3).hasLayerNorm(true).build())), "layer normalisation");
        assertNull(DenseForward.of(network("nielsen", false, "network.hidden-layers", "[1]")), "a layer of one unit");
        assertNull(DenseForward.of(stack(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE),
                new DenseLayer.Builder().nIn(4).nOut(3).build())), "double parameters");
    }

    /** {@code hidden} (4 inputs, 3 units) under DL4J's default output layer of 2 units, with {@code base}'s settings. */
    private static MultiLayerNetwork stack(NeuralNetConfiguration.Builder base, DenseLayer hidden) {
        return init(base.list().layer(hidden).layer(new OutputLayer.Builder().nIn(3).nOut(2).build()).build());
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
