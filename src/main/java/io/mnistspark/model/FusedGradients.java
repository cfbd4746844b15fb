package io.mnistspark.model;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The backward pass a fused hidden and a fused output layer share, from the gradient at their pre-activations. */
final class FusedGradients {
    private FusedGradients() {
    }

    /**
     * Fills the layer's bias and weight gradient views from {@code delta} (dL/dz, row-major {@code [m, nOut]};
     * {@code deltas} its values in a Java array, {@code sums} scratch for the bias gradient) and returns them
     * with the gradient at the layer's input, or with null when {@code inputGradient} is false. With
     * {@code minibatch} (DL4J's default) the parameter gradients are the mini-batch's mean, already divided by
     * {@code m}: fused layers tell DL4J's updater not to divide them ({@link #dividedByMinibatch}), which saves it
     * an operation over every parameter each step.
     */
    static Pair<Gradient, INDArray> of(INDArray input, INDArray delta, float[] deltas, float[] sums, INDArray w,
                                       INDArray weightGradient, INDArray biasGradient, boolean minibatch,
                                       boolean inputGradient, LayerWorkspaceMgr workspaceMgr) {
        Gradient gradient = new DefaultGradient();
        float mean = minibatch ? 1f / delta.size(0) : 1f;
        DenseKernels.store(DenseKernels.columnSums(deltas, (int) delta.size(0), (int) delta.size(1), mean, sums),
                biasGradient);
        gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGradient);
        DenseKernels.weightGradient(input, delta, mean, weightGradient);
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
        if (!inputGradient) {
            return new Pair<>(gradient, null);
        }
        INDArray epsilon = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                new long[]{input.size(0), input.size(1)}, 'c');
        DenseKernels.inputGradient(delta, w, epsilon);
        return new Pair<>(gradient, epsilon);
    }

    /**
     * Divides the parameter gradients DL4J's own implementation computed (a call the fused code did not cover) by
     * the mini-batch size, as the updater would have, so that every step of a fused layer hands it means.
     */
    static Pair<Gradient, INDArray> dividedByMinibatch(Pair<Gradient, INDArray> dl4j, boolean minibatch,
                                                       long size) {
        if (minibatch) {
            for (INDArray g : dl4j.getFirst().gradientForVariable().values()) {
                g.divi(size);
            }
        }
        return dl4j;
    }
}
