package io.mnistspark.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;

import java.nio.FloatBuffer;

/**
 * A DL4J activation function done in Java by a fused layer: applied in place, and its derivative taken from the
 * activations themselves (every function here has one that the output determines), so a layer keeps no
 * pre-activations for its backward pass.
 */
abstract class Nonlinearity {
    /** Applies the function in place to the {@code m x n} row-major values. */
    abstract void apply(FloatBuffer z, int m, int n);

    /** {@code epsilon *= f'(z)} element-wise, with f' read from the activations {@code a = f(z)}. */
    abstract void backprop(FloatBuffer a, FloatBuffer epsilon, int length);

    /** The Java twin of {@code activation}, or null when it has none (the layer then stays DL4J's own). */
    static Nonlinearity of(IActivation activation) {
        Class<?> type = activation.getClass();
        if (type == ActivationSigmoid.class) {
            return SIGMOID;
        }
        if (type == ActivationReLU.class) {
            ActivationReLU relu = (ActivationReLU) activation;
            boolean plain = zeroOrNull(relu.getThreshold()) && zeroOrNull(relu.getNegativeSlope())
                    && relu.getMax() == null;
            return plain ? RELU : null;
        }
        if (type == ActivationLReLU.class) {
            double alpha = ((ActivationLReLU) activation).getAlpha();
            return alpha > 0 ? leaky((float) alpha) : null;
        }
        if (type == ActivationTanH.class) {
            return TANH;
        }
        if (type == ActivationIdentity.class) {
            return IDENTITY;
        }
        if (type == ActivationSoftmax.class) {
            return SOFTMAX;
        }
        return null;
    }

    private static boolean zeroOrNull(Double value) {
        return value == null || value == 0.0;
    }

    static final Nonlinearity SIGMOID = new Elementwise() {
        @Override
        float value(float z) {
            return (float) (1.0 / (1.0 + Math.exp(-z)));
        }

        @Override
        float slope(float a) {
            return a * (1f - a);
        }
    };

    static final Nonlinearity RELU = new Elementwise() {
        @Override
        float value(float z) {
            return z > 0f ? z : 0f;
        }

        @Override
        float slope(float a) {
            return a > 0f ? 1f : 0f;
        }
    };

    static final Nonlinearity TANH = new Elementwise() {
        @Override
        float value(float z) {
            return (float) Math.tanh(z);
        }

        @Override
        float slope(float a) {
            return 1f - a * a;
        }
    };

    static final Nonlinearity IDENTITY = new Elementwise() {
        @Override
        float value(float z) {
            return z;
        }

        @Override
        float slope(float a) {
            return 1f;
        }
    };

    static Nonlinearity leaky(float alpha) {
        return new Elementwise() {
            @Override
            float value(float z) {
                return z > 0f ? z : alpha * z;
            }

            @Override
            float slope(float a) {
                return a > 0f ? 1f : alpha;
            }
        };
    }

    /** Row-wise softmax. Its backprop is only ever taken together with the cross-entropy loss, as a - y. */
    static final Nonlinearity SOFTMAX = new Nonlinearity() {
        @Override
        void apply(FloatBuffer z, int m, int n) {
            for (int i = 0; i < m; i++) {
                int row = i * n;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, z.get(row + j));
                }
                float sum = 0f;
                for (int j = 0; j < n; j++) {
                    float e = (float) Math.exp(z.get(row + j) - max);
                    z.put(row + j, e);
                    sum += e;
                }
                for (int j = 0; j < n; j++) {
                    z.put(row + j, z.get(row + j) / sum);
                }
            }
        }

        @Override
        void backprop(FloatBuffer a, FloatBuffer epsilon, int length) {
            throw new UnsupportedOperationException("softmax is fused only with the cross-entropy loss");
        }
    };

    private abstract static class Elementwise extends Nonlinearity {
        abstract float value(float z);

        abstract float slope(float a);

        @Override
        final void apply(FloatBuffer z, int m, int n) {
            int length = m * n;
            for (int i = 0; i < length; i++) {
                z.put(i, value(z.get(i)));
            }
        }

        @Override
        final void backprop(FloatBuffer a, FloatBuffer epsilon, int length) {
            for (int i = 0; i < length; i++) {
                epsilon.put(i, epsilon.get(i) * slope(a.get(i)));
            }
        }
    }
}
