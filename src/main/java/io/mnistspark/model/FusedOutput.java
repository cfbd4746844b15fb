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
 * DL4J's output layer with its loss fused in ({@link FusedLoss}): the backward pass computes the outputs once
 * (one sgemm), takes dL/dz from them and the labels in one Java pass, and the score DL4J asks for next reads the
 * same outputs instead of a third product. Masks, weight noise and other data types go to DL4J's implementation.
 */
final class FusedOutput extends org.deeplearning4j.nn.layers.OutputLayer {
    private final transient DenseStep step;
    /** The layer's dropout in Java, or null when DL4J's applies (none configured, or another kind). */
    private final transient DropoutMask dropoutMask;
    private final transient FusedLoss loss;
    /** The outputs and labels of the last backward pass, and the input and labels they were computed from. */
    private transient INDArray trainedInput;
    private transient INDArray trainedLabels;
    private transient float[] outputs;
    private transient float[] labelValues;
    /** Scratch: dL/dz. */
    private transient float[] deltas;

    FusedOutput(NeuralNetConfiguration conf, DataType dataType, Nonlinearity nonlinearity, FusedLoss loss) {
        super(conf, dataType);
        this.step = new DenseStep(nonlinearity);
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
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, input.size(0),
                getParam(DefaultParamInitializer.WEIGHT_KEY).size(1));
        float[] values = step.forward(input, params, out, null);
        DenseKernels.store(values, out);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        applyDropOutIfNecessary(true, workspaceMgr);
        trainedInput = null;
        if (!fusable(input) || !fusableBackward()) {
            return FusedGradients.dividedByMinibatch(super.backpropGradient(epsilon, workspaceMgr),
                    conf().isMiniBatch(), input.size(0));
        }
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        int m = (int) input.size(0);
        int n = (int) w.size(1);
        outputs = step.forward(input, params,
                workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, m, n), outputs);
        labelValues = DenseKernels.load(labels, labelValues);
        deltas = deltas != null && deltas.length >= m * n ? deltas : new float[m * n];
        loss.gradient(outputs, labelValues, deltas, m * n);
        INDArray delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, m, n);
        DenseKernels.store(deltas, delta);
        trainedInput = input;
        trainedLabels = labels;
        Pair<Gradient, INDArray> gradients = step.gradients(input, delta, deltas, params, gradientViews,
                conf().isMiniBatch(), getIndex() > 0, workspaceMgr);
        if (gradients.getSecond() != null) {
            backpropDropOutIfPresent(gradients.getSecond());
        }
        return gradients;
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!training || trainedInput == null || trainedInput != input || trainedLabels != labels) {
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        double sum = loss.score(outputs, labelValues, (int) labels.length());
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
        trainedInput = null; // the scratch arrays stay: DL4J clears a layer after every step
        trainedLabels = null;
    }
}
