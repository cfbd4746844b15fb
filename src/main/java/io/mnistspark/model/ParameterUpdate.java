package io.mnistspark.model;

import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A training step's parameter update, {@code params -= update(gradient)}, done in one Java pass over the
 * parameters, their gradients and the updater's state, for networks of fused layers trained with plain SGD or
 * Adam. DL4J runs it as two native operations, each a pass over every parameter with a native call's fixed cost:
 * the updater turns the gradient into the update in place, then the optimizer subtracts it from the parameters.
 *
 * <p>The arithmetic is DL4J's (libnd4j's {@code sgd_updater} and {@code adam_updater}, then the subtraction), in
 * float32; results may differ from DL4J's in the last bit where its compiler fused a multiply and an add. The
 * updater's state stays in DL4J's {@code MultiLayerUpdater} (Adam: the first moments, then the second, per block),
 * so parameter averaging, checkpoints and model files see it unchanged. The gradient view is left holding the
 * gradient itself, not the update DL4J would leave there.
 *
 * <p>{@link #of} returns null, and DL4J's updater runs, for anything else: another updater, regularization (L1, L2,
 * weight decay), gradient normalization, a layer that is not fused (its gradients would still need dividing by
 * the mini-batch size), or arrays that are not contiguous float32.
 */
final class ParameterUpdate {
    /** Values per pass of a chunk: SGD's two 16 KB arrays stay in the first-level cache, Adam's four in the second. */
    private static final int CHUNK = 4096;

    private final Updater updater;
    private final INDArray params;
    private final INDArray gradients;
    private final INDArray state;
    private final FloatBuffer paramValues;
    private final FloatBuffer gradientValues;
    private final FloatBuffer stateValues;
    private final List<Block> blocks;
    private final float[] p = new float[CHUNK];
    private final float[] g = new float[CHUNK];
    private final float[] m = new float[CHUNK];
    private final float[] v = new float[CHUNK];

    private ParameterUpdate(Updater updater, INDArray params, INDArray gradients, INDArray state,
                            List<Block> blocks) {
        this.updater = updater;
        this.params = params;
        this.gradients = gradients;
        this.state = state;
        this.paramValues = DenseKernels.floats(params);
        this.gradientValues = DenseKernels.floats(gradients);
        this.stateValues = state == null ? null : DenseKernels.floats(state);
        this.blocks = blocks;
    }

    /** The update of {@code net} with {@code updater}, or null when DL4J's updater has to run (see the class). */
    static ParameterUpdate of(MultiLayerNetwork net, Updater updater) {
        if (!(updater instanceof BaseMultiLayerUpdater<?> multi)) {
            return null;
        }
        INDArray params = net.params();
        INDArray gradients = net.getFlattenedGradients();
        INDArray state = multi.getStateViewArray();
        if (!contiguous(params) || !contiguous(gradients) || params.length() != gradients.length()
                || (state != null && !contiguous(state))) {
            return null;
        }
        List<Block> blocks = new ArrayList<>();
        for (UpdaterBlock block : multi.getUpdaterBlocks()) {
            if (block.isPretrainUpdaterBlock()) {
                return null;
            }
            for (UpdaterBlock.ParamState param : block.getLayersAndVariablesInBlock()) {
                if (!plain(param.getLayer(), param.getParamName())) {
                    return null;
                }
            }
            IUpdater config = block.getGradientUpdater().getConfig();
            int from = block.getParamOffsetStart();
            int to = block.getParamOffsetEnd();
            if (config.getClass() == Sgd.class) {
                blocks.add(new Block((Sgd) config, null, from, to, 0));
            } else if (config.getClass() == Adam.class && state != null
                    && block.getUpdaterViewOffsetEnd() - block.getUpdaterViewOffsetStart() == 2 * (to - from)) {
                blocks.add(new Block(null, (Adam) config, from, to, block.getUpdaterViewOffsetStart()));
            } else {
                return null;
            }
        }
        return new ParameterUpdate(multi, params, gradients, state, blocks);
    }

    /** True when this update was planned for {@code gradient}: the network's own flattened gradient view. */
    boolean covers(INDArray gradient) {
        return gradient == gradients;
    }

    /**
     * {@code params -= update(gradient)} for every block, at DL4J's iteration and epoch counts; holding the
     * updater's lock, as DL4J's {@code update} does, so that a copy of its state is never half updated.
     */
    void apply(int iteration, int epoch) {
        synchronized (updater) {
            for (Block block : blocks) {
                if (block.sgd != null) {
                    sgd(block, (float) block.sgd.getLearningRate(iteration, epoch));
                } else {
                    adam(block, block.adam, iteration, epoch);
                }
            }
        }
        java.lang.ref.Reference.reachabilityFence(params);
        java.lang.ref.Reference.reachabilityFence(gradients);
        java.lang.ref.Reference.reachabilityFence(state);
    }

    /** libnd4j's sgd_updater ({@code u = g * lr}), then the optimizer's {@code p -= u}. */
    private void sgd(Block block, float lr) {
        for (int at = block.from; at < block.to; at += CHUNK) {
            int n = Math.min(CHUNK, block.to - at);
            paramValues.get(at, p, 0, n);
            gradientValues.get(at, g, 0, n);
            for (int i = 0; i < n; i++) {
                p[i] = p[i] - g[i] * lr;
            }
            paramValues.put(at, p, 0, n);
        }
    }

    /**
     * libnd4j's adam_updater: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
     * {@code u = m a / (sqrt(v) + eps)} with {@code a = lr sqrt(1 - b2^t) / (1 - b1^t)}, t the iteration + 1;
     * then {@code p -= u}. The block's state holds all its m values, then all its v values.
     */
    private void adam(Block block, Adam config, int iteration, int epoch) {
        float lr = (float) config.getLearningRate(iteration, epoch);
        float beta1 = (float) config.getBeta1();
        float beta2 = (float) config.getBeta2();
        float epsilon = (float) config.getEpsilon();
        float beta1t = (float) Math.pow(beta1, iteration + 1f);
        float beta2t = (float) Math.pow(beta2, iteration + 1f);
        float alpha = (float) (lr * (float) Math.sqrt(1.0 - beta2t) / (1.0 - beta1t));
        if (Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0f) {
            alpha = epsilon;
        }
        float keep1 = 1 - beta1;
        float keep2 = 1 - beta2;
        int length = block.to - block.from;
        for (int offset = 0; offset < length; offset += CHUNK) {
            int n = Math.min(CHUNK, length - offset);
            int at = block.from + offset;
            int mAt = block.stateFrom + offset;
            int vAt = block.stateFrom + length + offset;
            paramValues.get(at, p, 0, n);
            gradientValues.get(at, g, 0, n);
            stateValues.get(mAt, m, 0, n);
            stateValues.get(vAt, v, 0, n);
            for (int i = 0; i < n; i++) {
                float gi = g[i];
                float mi = beta1 * m[i] + gi * keep1;
                float vi = beta2 * v[i] + gi * gi * keep2;
                m[i] = mi;
                v[i] = vi;
                p[i] = p[i] - (mi * alpha) / ((float) Math.sqrt(vi) + epsilon);
            }
            stateValues.put(mAt, m, 0, n);
            stateValues.put(vAt, v, 0, n);
            paramValues.put(at, p, 0, n);
        }
    }

    /** A parameter of a fused layer with no regularization and no gradient normalization. */
    private static boolean plain(Trainable layer, String param) {
        if (!(layer instanceof FusedDense) && !(layer instanceof FusedOutput)) {
            return false;
        }
        List<Regularization> regularization = layer.getConfig().getRegularizationByParam(param);
        GradientNormalization normalization = layer.getConfig().getGradientNormalization();
        return (regularization == null || regularization.isEmpty())
                && (normalization == null || normalization == GradientNormalization.None);
    }

    private static boolean contiguous(INDArray a) {
        return a != null && a.dataType() == DataType.FLOAT && a.elementWiseStride() == 1 && a.length() < Integer.MAX_VALUE;
    }

    /** One of DL4J's updater blocks: parameters {@code [from, to)} sharing one updater configuration. */
    private record Block(Sgd sgd, Adam adam, int from, int to, int stateFrom) {
    }
}
