package io.mnistspark.model;

import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network built from conf/nielsen.conf takes exactly the steps of Nielsen's network.py. */
class NetworkFactoryTest {
    private static final int INPUTS = 6;
    private static final int HIDDEN = 4;
    private static final int CLASSES = 10;

    private static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    private static double[][] matrix(INDArray a) {
        double[][] m = new double[(int) a.rows()][(int) a.columns()];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = a.getDouble(i, j);
            }
        }
        return m;
    }

    private static double[] vector(INDArray a) {
        double[] v = new double[(int) a.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.getDouble(i);
        }
        return v;
    }

    @Test
    void oneStepMatchesNielsensUpdateRule() {
        RunConfig config = new ConfigLoader().file(java.nio.file.Path.of("conf/nielsen.conf"))
                .override("network.hidden-layers", "[" + HIDDEN + "]").load();
        MultiLayerNetwork net = NetworkFactory.create(config.network(), config.training(), INPUTS, CLASSES);
        // DL4J stores W as [nIn, nOut]; the book writes w[j][k] for the weight from k to j.
        double[][] w1 = matrix(net.getParam("0_W"));
        double[] b1 = vector(net.getParam("0_b"));
        double[][] w2 = matrix(net.getParam("1_W"));
        double[] b2 = vector(net.getParam("1_b"));

        int m = 3;
        Random random = new Random(7);
        float[][] x = new float[m][INPUTS];
        float[][] y = new float[m][CLASSES];
        for (int e = 0; e < m; e++) {
            for (int i = 0; i < INPUTS; i++) {
                x[e][i] = random.nextFloat();
            }
            y[e][random.nextInt(CLASSES)] = 1f;
        }

        // network.py: backprop per example with delta = (a - y) * sigma'(z), sum the nablas, step eta/m.
        double eta = config.training().learningRate();
        double[][] nw1 = new double[INPUTS][HIDDEN];
        double[] nb1 = new double[HIDDEN];
        double[][] nw2 = new double[HIDDEN][CLASSES];
        double[] nb2 = new double[CLASSES];
        for (int e = 0; e < m; e++) {
            double[] a1 = new double[HIDDEN];
            for (int j = 0; j < HIDDEN; j++) {
                double z = b1[j];
                for (int k = 0; k < INPUTS; k++) {
                    z += w1[k][j] * x[e][k];
                }
                a1[j] = sigmoid(z);
            }
            double[] delta2 = new double[CLASSES];
            for (int j = 0; j < CLASSES; j++) {
                double z = b2[j];
                for (int k = 0; k < HIDDEN; k++) {
                    z += w2[k][j] * a1[k];
                }
                double a = sigmoid(z);
                delta2[j] = (a - y[e][j]) * a * (1 - a);
                nb2[j] += delta2[j];
                for (int k = 0; k < HIDDEN; k++) {
                    nw2[k][j] += delta2[j] * a1[k];
                }
            }
            for (int k = 0; k < HIDDEN; k++) {
                double back = 0;
                for (int j = 0; j < CLASSES; j++) {
                    back += w2[k][j] * delta2[j];
                }
                double delta1 = back * a1[k] * (1 - a1[k]);
                nb1[k] += delta1;
                for (int i = 0; i < INPUTS; i++) {
                    nw1[i][k] += delta1 * x[e][i];
                }
            }
        }

        net.fit(new DataSet(Nd4j.create(x), Nd4j.create(y)));

        double largestStep = 0;
        for (int k = 0; k < HIDDEN; k++) {
            assertEquals(b1[k] - eta / m * nb1[k], net.getParam("0_b").getDouble(k), 2e-5, "b1");
            for (int i = 0; i < INPUTS; i++) {
                assertEquals(w1[i][k] - eta / m * nw1[i][k], net.getParam("0_W").getDouble(i, k), 2e-5, "w1");
            }
            for (int j = 0; j < CLASSES; j++) {
                double expected = w2[k][j] - eta / m * nw2[k][j];
                assertEquals(expected, net.getParam("1_W").getDouble(k, j), 2e-5, "w2");
                largestStep = Math.max(largestStep, Math.abs(expected - w2[k][j]));
            }
        }
        for (int j = 0; j < CLASSES; j++) {
            assertEquals(b2[j] - eta / m * nb2[j], net.getParam("1_b").getDouble(j), 2e-5, "b2");
        }
        assertTrue(largestStep > 1e-3, "the step must be large enough for a factor-2 error to show: " + largestStep);
    }

    @Test
    void standardNormalInitDrawsWeightsAndBiasesFromNZeroOne() {
        RunConfig config = new ConfigLoader().load();
        MultiLayerNetwork net = NetworkFactory.create(config.network(), config.training(), 784, CLASSES);
        INDArray w = net.getParam("0_W");
        assertEquals(0.0, w.meanNumber().doubleValue(), 0.02);
        assertEquals(1.0, w.stdNumber().doubleValue(), 0.02);
        INDArray b = net.getParam("0_b");
        assertTrue(b.stdNumber().doubleValue() > 0.4, "biases are drawn too, not constant");
        MultiLayerNetwork again = NetworkFactory.create(config.network(), config.training(), 784, CLASSES);
        assertEquals(net.params(), again.params(), "the seed fixes the initial parameters");
    }

    @Test
    void dropoutDropsHiddenUnitsWhileTrainingOnly() {
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, INPUTS);
        MultiLayerNetwork dropping = NetworkFactory.create(configWithDropout("0.5").network(),
                configWithDropout("0.5").training(), INPUTS, CLASSES);
        assertEquals(null, dropping.getLayer(0).conf().getLayer().getIDropout(), "the inputs are kept");
        assertTrue(dropping.getLayer(1).conf().getLayer().getIDropout() != null, "the hidden units are dropped");
        assertEquals(dropping.output(x, false), dropping.output(x, false), "no dropout at evaluation");
        assertTrue(!dropping.output(x, true).equals(dropping.output(x, true)), "a new mask every training pass");

        MultiLayerNetwork keeping = NetworkFactory.create(configWithDropout("0").network(),
                configWithDropout("0").training(), INPUTS, CLASSES);
        assertEquals(keeping.output(x, false), keeping.output(x, true), "dropout 0 changes nothing");
    }

    private static RunConfig configWithDropout(String dropout) {
        return new ConfigLoader().override("network.hidden-layers", "[200]")
                .override("training.dropout", dropout).load();
    }

    @Test
    void quadraticCostIsReportedAsNielsensC() {
        RunConfig config = new ConfigLoader().override("network.hidden-layers", "[]").load();
        MultiLayerNetwork net = NetworkFactory.create(config.network(), config.training(), 2, CLASSES);
        INDArray features = Nd4j.create(new float[][]{{0.5f, 0.25f}});
        float[] label = new float[CLASSES];
        label[3] = 1f;
        INDArray output = net.output(features);
        double c = 0;
        for (int j = 0; j < CLASSES; j++) {
            c += 0.5 * Math.pow(label[j] - output.getDouble(0, j), 2);
        }
        double reported = net.score(new DataSet(features, Nd4j.create(new float[][]{label})))
                * NetworkFactory.reportedLossScale(config.network());
        assertEquals(c, reported, 1e-5);
    }
}
