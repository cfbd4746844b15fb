package io.mnistspark.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/**
 * DL4J's output layer with its loss fused in ({@link FusedLoss}): the backward pass computes the outputs once
 * (one sgemm), takes dL/dz from them and the labels in one Java pass, and the score DL4J asks for next reads the
 * same outputs instead of a third product. Masks, weight noise and other data types go to DL4J's implementation.
 */
final class FusedOutput extends org.deeplearning4j.nn.layers.OutputLayer {
    private final transient Nonlinearity nonlinearity;
    /** The layer's dropout in Java, or null when DL4J's applies (none configured, or another kind). */
    private final transient DropoutMask dropoutMask;
    private final transient FusedLoss loss;
    /** The outputs of the last backward pass, and the input they were computed from. */
    private transient INDArray trainedInput;
    private transient INDArray trainedOutput;

    FusedOutput(NeuralNetConfiguration conf, DataType dataType, Nonlinearity nonlinearity, FusedLoss loss) {
        super(conf, dataType);
        this.nonlinearity = nonlinearity;
        this.dropoutMask = DropoutMask.of(layerConf().getIDropout());
        this.loss = loss;
    }

    private boolean fusable(INDArray in) {
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        return maskArray == null && layerConf().getWeightNoise() == null && in != null
                && DenseKernels.rowMajor(in) && DenseKernels.columnMajor(w) && in.size(1) == w.size(0);
    }

    private boolean fusableBackward() {
        return fusableLabels() && gradientViews != null
                && DenseKernels.columnMajor(gradientViews.get(DefaultParamInitializer.WEIGHT_KEY));
    }

    private boolean fusableLabels() {
        return labels != null && DenseKernels.rowMajor(labels) && labels.size(0) == input.size(0)
                && labels.size(1) == getParam(DefaultParamInitializer.WEIGHT_KEY).size(1);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        if (!fusable(input)) {
            return super.activate(training, workspaceMgr);
        }
        return forward(input, ArrayType.ACTIVATIONS, workspaceMgr);
    }

    private INDArray forward(INDArray in, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray out = workspaceMgr.createUninitialized(type, DataType.FLOAT, in.size(0), w.size(1));
        DenseKernels.forward(in, w, out);
        int m = (int) out.size(0);
        int n = (int) out.size(1);
        FloatBuffer values = DenseKernels.floats(out);
        DenseKernels.addBias(values, DenseKernels.floats(getParam(DefaultParamInitializer.BIAS_KEY)), m, n);
        nonlinearity.apply(values, m, n);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        applyDropOutIfNecessary(true, workspaceMgr);
        if (!fusable(input) || !fusableBackward()) {
            trainedInput = null;
            return FusedGradients.dividedByMinibatch(super.backpropGradient(epsilon, workspaceMgr),
                    conf().isMiniBatch(), input.size(0));
        }
        // INPUT is the workspace of the whole iteration: the outputs are still there when DL4J asks for the score
        INDArray outputs = forward(input, ArrayType.INPUT, workspaceMgr);
        int m = (int) outputs.size(0);
        int n = (int) outputs.size(1);
        INDArray delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, m, n);
        FloatBuffer deltas = DenseKernels.floats(delta);
        loss.gradient(DenseKernels.floats(outputs), DenseKernels.floats(labels), deltas, m * n);
        trainedInput = input;
        trainedOutput = outputs;
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        Pair<Gradient, INDArray> gradients = FusedGradients.of(input, delta, deltas, w,
                gradientViews.get(DefaultParamInitializer.WEIGHT_KEY), gradientViews.get(DefaultParamInitializer.BIAS_KEY),
                conf().isMiniBatch(), getIndex() > 0, workspaceMgr);
        if (gradients.getSecond() != null) {
            backpropDropOutIfPresent(gradients.getSecond());
        }
        return gradients;
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!training || trainedInput == null || trainedInput != input || !fusableLabels()) {
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        double sum = loss.score(DenseKernels.floats(trainedOutput), DenseKernels.floats(labels),
                (int) trainedOutput.length());
        double score = (conf().isMiniBatch() ? sum / getInputMiniBatchSize() : sum) + fullNetRegTerm;
        this.score = score;
        return score;
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
        trainedInput = null;
        trainedOutput = null;
    }
}
