package io.mnistspark.model;

import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused layers train the network DL4J's own layers train (without dropout to float rounding; with dropout, whose
 * masks they draw themselves, to the loss's finite differences), and every model file holds DL4J's standard layers.
 */
class FusedLayersTest {
    static final int INPUTS = 20;
    static final int CLASSES = 10;

    private static RunConfig config(String preset, boolean fused, String... overrides) {
        ConfigLoader loader = new ConfigLoader().file(java.nio.file.Path.of("conf/" + preset + ".conf"))
                .override("training.fused-layers", Boolean.toString(fused));
        for (int i = 0; i < overrides.length; i += 2) {
            loader = loader.override(overrides[i], overrides[i + 1]);
        }
        return loader.load();
    }

    private static MultiLayerNetwork network(RunConfig config) {
        return NetworkFactory.create(config.network(), config.training(), INPUTS, CLASSES);
    }

    /** {@code examples} rows of {@code INPUTS} uniform features with one-hot labels of {@code CLASSES} classes. */
    static DataSet batch(Random random, int examples) {
        INDArray features = Nd4j.create(DataType.FLOAT, examples, INPUTS);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, examples, CLASSES);
        for (int e = 0; e < examples; e++) {
            for (int i = 0; i < INPUTS; i++) {
                features.putScalar(e, i, random.nextFloat());
            }
            labels.putScalar(e, random.nextInt(CLASSES), 1f);
        }
        return new DataSet(features, labels);
    }

    /** Fits both networks on the same mini-batches and compares parameters and scores after every step. */
    private static void assertSameTraining(String preset, String... overrides) {
        MultiLayerNetwork standard = network(config(preset, false, overrides));
        MultiLayerNetwork fused = network(config(preset, true, overrides));
        assertFalse(FusedLayers.isFused(standard));
        assertTrue(FusedLayers.isFused(fused));
        assertTrue(fused.getLayer(0) instanceof FusedDense, fused.getLayer(0).getClass().getName());

        assertEquals(standard.params(), fused.params(), "the same initial parameters");
        Random random = new Random(3);
        for (int step = 0; step < 25; step++) {
            DataSet data = batch(random, 1 + step % 7 * 3);
            standard.fit(data);
            fused.fit(data);
            double difference = standard.params().sub(fused.params()).amaxNumber().doubleValue();
            double scale = standard.params().amaxNumber().doubleValue();
            assertTrue(difference <= 2e-5 * scale, preset + " step " + step + ": parameters differ by " + difference);
            assertEquals(standard.score(), fused.score(), 1e-4 * Math.max(1, Math.abs(standard.score())),
                    preset + " step " + step + ": score");
        }
        DataSet test = batch(random, 9);
        INDArray expected = standard.output(test.getFeatures());
        INDArray actual = fused.output(test.getFeatures());
        assertTrue(expected.sub(actual).amaxNumber().doubleValue() < 1e-4, "outputs " + expected + " vs " + actual);
    }

    @Test
    void nielsensNetworkTrainsAsWithDl4jsLayers() {
        assertTrue(network(config("nielsen", true)).getOutputLayer() instanceof FusedOutput);
        assertSameTraining("nielsen", "network.hidden-layers", "[7]");
    }

    @Test
    void reluSoftmaxAdamTrainsAsWithDl4jsLayers() {
        assertTrue(network(config("best", true)).getOutputLayer() instanceof FusedOutput);
        assertSameTraining("best", "network.hidden-layers", "[12, 9]", "training.dropout", "0");
    }

    /**
     * With dropout the fused layers draw their own masks (in Java), so they cannot match DL4J's draw for draw;
     * instead their gradient is checked against finite differences of the loss, with ND4J's generator seeded
     * alike before every evaluation so that the masks repeat and the loss is a function of the parameters.
     */
    private static void assertGradientWithDropout(String preset, String... overrides) {
        MultiLayerNetwork net = network(config(preset, true, overrides));
        assertTrue(FusedLayers.isFused(net));
        DataSet data = batch(new Random(11), 6);
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        INDArray gradient = gradientAt(net).dup();
        INDArray params = net.params();
        Random pick = new Random(13);
        double eps = 2e-3; // small enough that no ReLU unit of these seeds crosses its kink (1e-2 did)
        int checked = 0;
        for (int k = 0; k < 40; k++) {
            long i = pick.nextInt((int) params.length());
            double p = params.getDouble(i);
            params.putScalar(i, p + eps);
            double up = scoreAt(net);
            params.putScalar(i, p - eps);
            double down = scoreAt(net);
            params.putScalar(i, p);
            double numeric = (up - down) / (2 * eps);
            double analytic = gradient.getDouble(i);
            assertEquals(numeric, analytic, 2e-3 + 0.03 * Math.abs(numeric),
                    preset + ": gradient of parameter " + i + " (" + net.paramTable().keySet() + ")");
            checked += Math.abs(numeric) > 1e-3 ? 1 : 0;
        }
        assertTrue(checked >= 10, "only " + checked + " of the checked gradients are far from 0");
    }

    private static INDArray gradientAt(MultiLayerNetwork net) {
        Nd4j.getRandom().setSeed(77);
        net.computeGradientAndScore();
        return net.gradient().gradient();
    }

    private static double scoreAt(MultiLayerNetwork net) {
        gradientAt(net);
        return net.score();
    }

    @Test
    void sigmoidWithDropoutHasTheLossGradient() {
        // the next layer's dropout scales this layer's outputs in place: the derivative must not be read from them
        assertGradientWithDropout("nielsen", "network.hidden-layers", "[9, 7]", "training.dropout", "0.5");
    }

    @Test
    void tanhWithDropoutHasTheLossGradient() {
        assertGradientWithDropout("fast", "network.activation", "tanh", "network.hidden-layers", "[9, 7]",
                "training.dropout", "0.4");
    }

    @Test
    void reluSoftmaxWithDropoutHasTheLossGradient() {
        assertGradientWithDropout("best", "network.hidden-layers", "[12, 9]", "training.dropout", "0.3");
    }

    @Test
    void dropoutKeepsItsShareScaledAndRepeatsWithTheGenerator() {
        DropoutMask mask = DropoutMask.of(new org.deeplearning4j.nn.conf.dropout.Dropout(0.7));
        INDArray ones = Nd4j.ones(DataType.FLOAT, 100, 800);
        Nd4j.getRandom().setSeed(5);
        INDArray first = mask.applyTo(ones.dup(), true, 0, 0, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        long kept = first.neq(0).castTo(DataType.INT).sumNumber().longValue();
        assertEquals(0.7 * 80000, kept, 600, "units kept");
        assertEquals((float) (1 / 0.7), first.maxNumber().floatValue(), 1e-6f, "inverted dropout scale");
        INDArray gradient = Nd4j.ones(DataType.FLOAT, 100, 800);
        assertTrue(mask.backprop(gradient));
        assertEquals(first, gradient, "the gradient passes where the input did, scaled alike");
        assertFalse(mask.backprop(gradient), "a mask is used once");
        Nd4j.getRandom().setSeed(5);
        INDArray again = mask.applyTo(ones.dup(), false, 0, 0, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        assertEquals(first, again, "the same generator state draws the same mask");
        assertTrue(FusedLayers.isFused(network(config("best", true))));
    }

    @Test
    void fusedHiddenLayersBehindDl4jsOutputLayerTrainAsWithDl4jsLayers() {
        // sigmoid outputs with cross-entropy (binary) have no fused twin: DL4J's output layer divides its own
        // gradients by the mini-batch size, the fused hidden layers theirs; Nesterovs momentum on top
        RunConfig config = config("nielsen", true, "network.loss", "cross-entropy");
        MultiLayerNetwork net = network(config);
        assertTrue(net.getLayer(0) instanceof FusedDense);
        assertFalse(net.getOutputLayer() instanceof FusedOutput, net.getOutputLayer().getClass().getName());
        assertSameTraining("nielsen", "network.loss", "cross-entropy", "network.hidden-layers", "[7]",
                "training.updater", "nesterovs", "training.learning-rate", "0.5");
    }

    @Test
    void tanhAndL2TrainAsWithDl4jsLayers() {
        assertSameTraining("fast", "network.activation", "tanh", "training.l2", "0.01");
    }

    @Test
    void modelFilesHoldStandardLayersAndTheSameNetwork() throws IOException {
        MultiLayerNetwork fused = network(config("best", true, "network.hidden-layers", "[12, 9]"));
        Random random = new Random(5);
        for (int step = 0; step < 3; step++) {
            fused.fit(batch(random, 8));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelStore.write(fused, bytes);
        String configuration = entry(bytes.toByteArray(), "configuration.json");
        assertFalse(configuration.contains("Fused"), configuration);
        assertTrue(configuration.contains("\"org.deeplearning4j.nn.conf.layers.DenseLayer\""), configuration);
        assertTrue(configuration.contains("\"org.deeplearning4j.nn.conf.layers.OutputLayer\""), configuration);

        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertFalse(FusedLayers.isFused(plain));
        assertEquals(fused.params(), plain.params());
        assertEquals(fused.getUpdater().getStateViewArray(), plain.getUpdater().getStateViewArray());
        assertEquals(fused.getIterationCount(), plain.getIterationCount());
        INDArray features = batch(random, 4).getFeatures();
        assertTrue(fused.output(features).sub(plain.output(features)).amaxNumber().doubleValue() < 1e-5);
        // and the training network is untouched by the writing
        assertTrue(FusedLayers.isFused(fused));
    }

    @Test
    void configurationRoundTripsThroughTheFusedTwins() {
        RunConfig config = config("best", false);
        var standard = NetworkFactory.configuration(config.network(), config.training(), INPUTS, CLASSES);
        var fused = FusedLayers.fused(standard);
        assertTrue(fused.toJson().contains(FusedDenseLayer.class.getName()));
        assertEquals(standard.toJson(), FusedLayers.standard(fused).toJson());
    }

    private static String entry(byte[] zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError(name + " is not in the model file");
    }
}
