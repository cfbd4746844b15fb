package io.mnistspark.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * What a fused hidden and a fused output layer share: the activation, the forward pass and the parameter
 * gradients, with the scratch arrays they reuse from step to step (the bias, the bias gradient).
 */
final class DenseStep {
    final Nonlinearity nonlinearity;
    private float[] bias;
    private float[] sums;

    DenseStep(Nonlinearity nonlinearity) {
        this.nonlinearity = nonlinearity;
    }

    /**
     * {@code f(in . W + b)} into a Java array ({@code into}, grown when too small); {@code out} holds the products
     * afterwards, not the activations.
     */
    float[] forward(INDArray in, Map<String, INDArray> params, INDArray out, float[] into) {
        DenseKernels.forward(in, params.get(DefaultParamInitializer.WEIGHT_KEY), out);
        float[] values = DenseKernels.load(out, into);
        bias = DenseKernels.load(params.get(DefaultParamInitializer.BIAS_KEY), bias);
        nonlinearity.forward(values, bias, (int) out.size(0), (int) out.size(1));
        return values;
    }

    /** {@link FusedGradients#of} into the layer's gradient views, with this step's bias-gradient scratch. */
    Pair<Gradient, INDArray> gradients(INDArray input, INDArray delta, float[] deltas, Map<String, INDArray> params,
                                       Map<String, INDArray> gradientViews, boolean minibatch, boolean inputGradient,
                                       LayerWorkspaceMgr workspaceMgr) {
        int n = (int) delta.size(1);
        sums = sums != null && sums.length >= n ? sums : new float[n];
        return FusedGradients.of(input, delta, deltas, sums, params.get(DefaultParamInitializer.WEIGHT_KEY),
                gradientViews.get(DefaultParamInitializer.WEIGHT_KEY),
                gradientViews.get(DefaultParamInitializer.BIAS_KEY), minibatch, inputGradient, workspaceMgr);
    }
}
