package io.mnistspark.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's dense layer with its forward and backward pass done by {@link DenseKernels}: one sgemm and one Java pass
 * (bias and activation) forward; one Java pass (activation derivative and bias gradient) and two sgemms backward.
 * DL4J's own layer runs about 15 ND4J operations for the same, and computes the forward product a second time in
 * its backward pass; this layer keeps the activations of its training forward pass instead.
 *
 * <p>The first layer of a network returns no input gradient: nothing uses it when a network is fitted
 * ({@code MultiLayerNetwork} drops it), and it is the largest product of a step. Anything this layer does not
 * cover (masks, weight noise, another data type, an unusual layout) goes to DL4J's implementation.
 */
final class FusedDense extends org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer {
    private final transient DenseStep step;
    /** The layer's dropout in Java, or null when DL4J's applies (none configured, or another kind). */
    private final transient DropoutMask dropoutMask;
    /**
     * A copy of the activations of the last training forward pass, and the input they were computed from. A copy:
     * the next layer's dropout scales its input, which is this layer's output, in place.
     */
    private transient INDArray trainedInput;
    private transient float[] trainedOutput;
    /** Scratch: the values a pass works on. */
    private transient float[] work;

    FusedDense(NeuralNetConfiguration conf, DataType dataType, Nonlinearity nonlinearity) {
        super(conf, dataType);
        this.step = new DenseStep(nonlinearity);
        this.dropoutMask = DropoutMask.of(layerConf().getIDropout());
    }

    private boolean fusable(INDArray in) {
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        return maskArray == null && layerConf().getWeightNoise() == null && in != null
                && DenseKernels.rowMajor(in) && DenseKernels.columnMajor(w) && in.size(1) == w.size(0);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        trainedInput = null;
        if (!fusable(input)) {
            return super.activate(training, workspaceMgr);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, input.size(0),
                getParam(DefaultParamInitializer.WEIGHT_KEY).size(1));
        float[] values = forward(input, out);
        if (training) {
            trainedOutput = trainedOutput != null && trainedOutput.length >= values.length ? trainedOutput
                    : new float[values.length];
            System.arraycopy(values, 0, trainedOutput, 0, (int) out.length());
            trainedInput = input;
        }
        return out;
    }

    /** {@code out = f(in . W + b)}; returns the values in a Java array (this layer's scratch). */
    private float[] forward(INDArray in, INDArray out) {
        work = step.forward(in, params, out, work);
        DenseKernels.store(work, out);
        return work;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        applyDropOutIfNecessary(true, workspaceMgr);
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        boolean cached = trainedInput == input;
        trainedInput = null;
        if (!fusable(input) || epsilon == null || gradientViews == null
                || !DenseKernels.columnMajor(gradientViews.get(DefaultParamInitializer.WEIGHT_KEY))
                || epsilon.rank() != 2 || epsilon.size(0) != input.size(0) || epsilon.size(1) != w.size(1)) {
            return FusedGradients.dividedByMinibatch(super.backpropGradient(epsilon, workspaceMgr),
                    conf().isMiniBatch(), input.size(0));
        }
        int m = (int) input.size(0);
        int n = (int) w.size(1);
        float[] activations;
        if (cached) {
            activations = trainedOutput;
        } else {
            activations = forward(input, workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                    m, n)).clone();
        }
        INDArray delta = DenseKernels.rowMajor(epsilon) ? epsilon
                : workspaceMgr.dup(ArrayType.BP_WORKING_MEM, epsilon.castTo(DataType.FLOAT), 'c');
        work = DenseKernels.load(delta, work);
        step.nonlinearity.backprop(activations, work, m * n);
        DenseKernels.store(work, delta);
        Pair<Gradient, INDArray> gradients = step.gradients(input, delta, work, params, gradientViews,
                conf().isMiniBatch(), getIndex() > 0, workspaceMgr);
        if (gradients.getSecond() != null) {
            backpropDropOutIfPresent(gradients.getSecond());
        }
        return gradients;
    }

    /** The gradients of this layer reach the updater already divided by the mini-batch size. */
    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        return false;
    }

    @Override
    protected void applyDropOutIfNecessary(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (training && !dropoutApplied && dropoutMask != null) {
            INDArray dropped = dropoutMask.applyTo(input, inputModificationAllowed, getIterationCount(),
                    getEpochCount(), workspaceMgr);
            if (dropped != null) {
                input = dropped;
                dropoutApplied = true;
                return;
            }
        }
        super.applyDropOutIfNecessary(training, workspaceMgr);
    }

    @Override
    protected INDArray backpropDropOutIfPresent(INDArray epsilon) {
        return dropoutMask != null && dropoutMask.backprop(epsilon) ? epsilon : super.backpropDropOutIfPresent(epsilon);
    }

    @Override
    public void clear() {
        super.clear();
        if (dropoutMask != null) {
            dropoutMask.clear();
        }
        trainedInput = null; // the scratch arrays stay: DL4J clears a layer after every step
    }
}
