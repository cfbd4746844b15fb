package io.mnistspark.model;

import io.mnistspark.config.HiddenActivation;
import io.mnistspark.config.Loss;
import io.mnistspark.config.NetworkSpec;
import io.mnistspark.config.OutputActivation;
import io.mnistspark.config.TrainingSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.SplittableRandom;

/**
 * Turns the {@code network} and {@code training} sections into a DL4J {@link MultiLayerNetwork}.
 *
 * <p>Nielsen's quadratic cost is C = 1/2 |y - a|^2 per example. DL4J's {@code LossMSE} divides by the number
 * of outputs, so it is not that cost; DL4J's {@code LossL2} is |y - a|^2, exactly twice it. Every gradient
 * therefore is twice Nielsen's, and the factory halves the learning rate (and doubles the L2 coefficient, which
 * DL4J adds to the gradient before the learning rate applies) so that each step is exactly the book's
 * {@code w -> w - eta/m * sum(dC/dw)}. {@link #reportedLossScale} halves DL4J's score back to C.
 */
public final class NetworkFactory {
    private NetworkFactory() {
    }

    /** The initialised network, a {@link FusedNetwork} (DL4J's step unless its layers are fused). */
    public static MultiLayerNetwork create(NetworkSpec network, TrainingSpec training, int inputs, int classes) {
        MultiLayerNetwork net = new FusedNetwork(configuration(network, training, inputs, classes));
        net.init();
        if (network.weightInit() == io.mnistspark.config.WeightInit.STANDARD_NORMAL) {
            drawStandardNormalBiases(net, training.seed());
        }
        return net;
    }

    /**
     * Builds and drops a small network of the same layer types (at most 8 units a layer, 2 outputs): ND4J's native
     * backend, DL4J's configuration and layer classes and the parameter initialisation are loaded and run once,
     * so that a caller can do it while the executors read the data rather than after. It allocates next to
     * nothing (the real network's size is checked against the memory later, before it is allocated), and
     * changes nothing: {@link #create} seeds every network from {@code training.seed}.
     *
     * <p>Its three small arrays are closed here, not through {@code MultiLayerNetwork.close()}: that calls
     * {@code System.gc()} twice: stop-the-world collections of the whole heap while the executors cache the data
     * (221 ms of pauses in a fast.conf run, bench/README.md#warm-up-gc). The network never ran, so it holds no
     * workspace.
     */
    public static void warmUp(NetworkSpec network, TrainingSpec training) {
        NetworkSpec small = new NetworkSpec(network.hiddenLayers().stream().map(units -> Math.min(units, 8)).toList(),
                network.activation(), network.outputActivation(), network.loss(), network.weightInit(), 2);
        MultiLayerNetwork net = create(small, training, 4, 2);
        org.deeplearning4j.nn.api.Updater updater = net.getUpdater(false);
        closeArrays(net.params(), net.getFlattenedGradients(), updater == null ? null : updater.getStateViewArray());
    }

    /**
     * Starts {@link #warmUp} on a daemon thread now, so that ND4J and DL4J load on the second core while this
     * thread starts Spark (the driver's first second and a half, mostly one core). The returned {@code Runnable}
     * waits for it and throws what it threw, so that a caller meets a failure where it would have met it with
     * {@code warmUp} itself.
     */
    public static Runnable startWarmUp(NetworkSpec network, TrainingSpec training) {
        NativeBuild.select(); // before anything loads ND4J in this JVM (see NativeBuild)
        // Logging starts here, on the caller's thread: DL4J's first logger on the warm-up thread and Spark's start
        // on this one would otherwise start log4j's context at once, and the loser prints a stack trace
        // ("Could not register mbeans ... InstanceAlreadyExistsException") on the user's console.
        org.slf4j.LoggerFactory.getLogger(NetworkFactory.class);
        java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> warmUp(network, training), null);
        Thread thread = new Thread(task, "network warm-up");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the network warm-up", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                if (e.getCause() instanceof Error failure) {
                    throw failure;
                }
                throw new IllegalStateException(e.getCause());
            }
        };
    }

    private static void closeArrays(INDArray... arrays) {
        for (INDArray array : arrays) {
            if (array != null && array.closeable()) {
                array.close();
            }
        }
    }

    public static MultiLayerConfiguration configuration(NetworkSpec network, TrainingSpec training, int inputs,
                                                        int classes) {
        double lossScale = gradientScale(network);
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(training.seed())
                .dataType(DataType.FLOAT)
                .updater(updater(training, training.learningRate() / lossScale))
                .l2(training.l2() * lossScale);
        switch (network.weightInit()) {
            case STANDARD_NORMAL -> builder.weightInit(new NormalDistribution(0, 1));
            case XAVIER -> builder.weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER);
            case RELU -> builder.weightInit(org.deeplearning4j.nn.weights.WeightInit.RELU);
        }
        NeuralNetConfiguration.ListBuilder layers = builder.list();
        int previous = inputs;
        int index = 0;
        // DL4J applies a layer's dropout to its input: every layer after a hidden one drops that layer's units
        double retain = 1.0 - training.dropout();
        for (int size : network.hiddenLayers()) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(previous).nOut(size)
                    .activation(activation(network.activation()));
            if (index > 0 && retain < 1.0) {
                dense.dropOut(retain);
            }
            layers.layer(index++, dense.build());
            previous = size;
        }
        OutputLayer.Builder output = new OutputLayer.Builder(lossFunction(network))
                .nIn(previous).nOut(classes)
                .activation(network.outputActivation() == OutputActivation.SOFTMAX ? Activation.SOFTMAX : Activation.SIGMOID);
        if (index > 0 && retain < 1.0) {
            output.dropOut(retain);
        }
        layers.layer(index, output.build());
        MultiLayerConfiguration configuration = layers.build();
        return training.fusedLayers() ? FusedLayers.fused(configuration) : configuration;
    }

    /**
     * Sets the learning rate epoch {@code epoch} trains with ({@code training.learning-rate-decay}), halved for the
     * quadratic cost as in {@link #configuration}. Nothing changes while the decay is 1. Under Spark the workers
     * take the configuration from the driver's network at every averaging round, so this reaches them too.
     */
    public static void applyLearningRate(MultiLayerNetwork net, NetworkSpec network, TrainingSpec training, int epoch) {
        if (training.learningRateDecay() < 1.0) {
            net.setLearningRate(training.learningRate(epoch) / gradientScale(network));
        }
    }

    /** Multiplies DL4J's score to give the configured cost (Nielsen's C for the quadratic cost). */
    public static double reportedLossScale(NetworkSpec network) {
        return 1.0 / gradientScale(network);
    }

    /** DL4J's loss over the configured cost: LossL2 is twice Nielsen's quadratic cost, the others are it. */
    private static double gradientScale(NetworkSpec network) {
        return network.loss() == Loss.QUADRATIC ? 2.0 : 1.0;
    }

    private static ILossFunction lossFunction(NetworkSpec network) {
        if (network.loss() == Loss.QUADRATIC) {
            return new LossL2();
        }
        return network.outputActivation() == OutputActivation.SOFTMAX ? new LossMCXENT() : new LossBinaryXENT();
    }

    private static IUpdater updater(TrainingSpec training, double learningRate) {
        return switch (training.updater()) {
            case SGD -> new Sgd(learningRate);
            case NESTEROVS -> new Nesterovs(learningRate, training.momentum());
            case ADAM -> new Adam(learningRate);
        };
    }

    private static Activation activation(HiddenActivation activation) {
        return switch (activation) {
            case SIGMOID -> Activation.SIGMOID;
            case RELU -> Activation.RELU;
            case TANH -> Activation.TANH;
            case LEAKY_RELU -> Activation.LEAKYRELU;
            case IDENTITY -> Activation.IDENTITY;
        };
    }

    /** Nielsen draws the biases from N(0,1) too; DL4J only initialises biases to a constant. */
    private static void drawStandardNormalBiases(MultiLayerNetwork net, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        java.util.Random gaussian = new java.util.Random(random.nextLong());
        for (int layer = 0; layer < net.getnLayers(); layer++) {
            INDArray bias = net.getLayer(layer).getParam("b");
            for (long i = 0; i < bias.length(); i++) {
                bias.putScalar(i, gaussian.nextGaussian());
            }
        }
    }
}
