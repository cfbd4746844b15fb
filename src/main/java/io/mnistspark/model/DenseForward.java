package io.mnistspark.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network's inference outputs, {@code f(x . W + b)} layer after layer, computed as DL4J's dense layers compute
 * them (the same {@code cblas_sgemm} call on the same layouts, ND4J's row-vector addition and the layers' own
 * activation functions: the same numbers, bit for bit) but without DL4J's per-layer machinery around them
 * (workspaces, layer state, validation), which costs a short scoring run more than the arithmetic: 70000 MNIST
 * images through 784-64-64-10 took 10-15 ms a call of 1000 images while that code was still cold
 * (bench/README.md#scoring).
 *
 * <p>{@link #of} returns null, and the caller uses DL4J's {@code output}, for anything but a stack of DL4J's own
 * dense layers ending in its output layer (as every model file holds them, {@link ModelStore}), with float32
 * parameters, exactly a weight matrix and a bias per layer (no layer normalisation), at least two units per
 * layer, no input preprocessors and no weight noise.
 * One instance per network, used by one thread at a time; its arrays are reused from call to call.
 */
public final class DenseForward {
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final IActivation[] activations;
    private final long numInputs;
    private INDArray input;
    private INDArray[] products;
    private INDArray[] outputs;

    private DenseForward(INDArray[] weights, INDArray[] biases, IActivation[] activations) {
        this.weights = weights;
        this.biases = biases;
        this.activations = activations;
        this.numInputs = weights[0].size(0);
    }

    /** The forward pass of {@code net}, or null when it is not a plain dense stack (see the class). */
    public static DenseForward of(MultiLayerNetwork net) {
        Layer[] layers = net.getLayers();
        if (layers == null || layers.length == 0) {
            return null;
        }
        INDArray[] weights = new INDArray[layers.length];
        INDArray[] biases = new INDArray[layers.length];
        IActivation[] activations = new IActivation[layers.length];
        for (int i = 0; i < layers.length; i++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layers[i].conf().getLayer();
            Class<?> type = conf.getClass();
            boolean last = i == layers.length - 1;
            // DL4J's own layers only: fused ones (training) compute their own way, and a model file never holds them
            boolean dense = type == DenseLayer.class;
            boolean output = type == OutputLayer.class;
            InputPreProcessor preprocessor = net.getLayerWiseConfigurations().getInputPreProcess(i);
            if (!(last ? output : dense) || preprocessor != null || ((BaseLayer) conf).getWeightNoise() != null) {
                return null;
            }
            // exactly a weight matrix and a bias: no layer without bias, no layer normalisation's gain (DL4J
            // applies it between the two)
            if (!layers[i].paramTable().keySet().equals(java.util.Set.of(DefaultParamInitializer.WEIGHT_KEY,
                    DefaultParamInitializer.BIAS_KEY))) {
                return null;
            }
            INDArray w = layers[i].getParam(DefaultParamInitializer.WEIGHT_KEY);
            INDArray b = layers[i].getParam(DefaultParamInitializer.BIAS_KEY);
            // one output unit: ND4J multiplies by a vector (gemv), which may round otherwise
            if (!DenseKernels.columnMajor(w) || w.size(1) < 2 || b.dataType() != DataType.FLOAT
                    || b.length() != w.size(1) || (i > 0 && w.size(0) != weights[i - 1].size(1))) {
                return null;
            }
            weights[i] = w;
            biases[i] = b.reshape(1, b.length());
            activations[i] = ((BaseLayer) conf).getActivationFn();
        }
        return new DenseForward(weights, biases, activations);
    }

    /**
     * This call's arrays for {@code n} rows, outside any workspace the calling thread has open (they outlive it),
     * kept only once all of them exist.
     */
    private void allocate(int n) {
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray newInput = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n, numInputs}, 'c');
            INDArray[] newProducts = new INDArray[weights.length];
            INDArray[] newOutputs = new INDArray[weights.length];
            for (int i = 0; i < weights.length; i++) {
                newProducts[i] = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n, weights[i].size(1)}, 'f');
                newOutputs[i] = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n, weights[i].size(1)}, 'c');
            }
            products = newProducts;
            outputs = newOutputs;
            input = newInput;
        }
    }

    /**
     * The outputs of the first {@code n} rows of {@code inputs} ({@code n x numInputs} values, row by row), row by
     * row in one array.
     */
    public float[] output(float[] inputs, int n) {
        if (input == null || input.size(0) != n) {
            allocate(n);
        }
        DenseKernels.store(inputs, input);
        INDArray x = input;
        for (int i = 0; i < weights.length; i++) {
            // libnd4j multiplies into a column-major array and copies that into DL4J's row-major activations,
            // on which the bias and the activation function work (a softmax's sums go row by row)
            DenseKernels.forwardColumnMajor(x, weights[i], products[i]);
            INDArray z = outputs[i].assign(products[i]);
            z.addiRowVector(biases[i]);
            INDArray a = activations[i].getActivation(z, false);
            if (a != z) {
                z.assign(a);
            }
            x = z;
        }
        return DenseKernels.load(x, null);
    }
}
