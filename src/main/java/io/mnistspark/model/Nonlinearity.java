package io.mnistspark.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * A DL4J activation function done in Java by a fused layer, on row-major {@code [m, n]} values held in a Java
 * array (plain loops the JIT vectorizes): the bias added and the function applied in one pass, and its derivative
 * taken from the activations themselves (every function here has one that the output determines), so a layer
 * keeps no pre-activations for its backward pass.
 */
abstract class Nonlinearity {
    /** {@code z[i][j] = f(z[i][j] + bias[j])} in place. */
    abstract void forward(float[] z, float[] bias, int m, int n);

    /** {@code epsilon *= f'(z)} element-wise, with f' read from the activations {@code a = f(z)}. */
    abstract void backprop(float[] a, float[] epsilon, int length);

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

    static final Nonlinearity SIGMOID = new Nonlinearity() {
        @Override
        void forward(float[] z, float[] bias, int m, int n) {
            for (int i = 0; i < m; i++) {
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    z[row + j] = (float) (1.0 / (1.0 + Math.exp(-(z[row + j] + bias[j]))));
                }
            }
        }

        @Override
        void backprop(float[] a, float[] epsilon, int length) {
            for (int i = 0; i < length; i++) {
                epsilon[i] *= a[i] * (1f - a[i]);
            }
        }
    };

    static final Nonlinearity RELU = new Nonlinearity() {
        @Override
        void forward(float[] z, float[] bias, int m, int n) {
            for (int i = 0; i < m; i++) {
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    z[row + j] = Math.max(z[row + j] + bias[j], 0f);
                }
            }
        }

        @Override
        void backprop(float[] a, float[] epsilon, int length) {
            // a > 0 without a branch (about half the units are off, at random, which defeats the predictor):
            // a > 0 exactly when its bits, as an int, lie in [1, 0x7F800000] (positive floats up to +infinity),
            // i.e. when both -bits and bits - 0x7F800001 are negative. The mask -1 keeps epsilon's bits, 0 makes
            // it +0: the same values as the comparison, NaN and -0 included
            for (int i = 0; i < length; i++) {
                int bits = Float.floatToRawIntBits(a[i]);
                int keep = (-bits & (bits - 0x7F800001)) >>> 31;
                epsilon[i] = Float.intBitsToFloat(Float.floatToRawIntBits(epsilon[i]) & -keep);
            }
        }
    };

    static final Nonlinearity TANH = new Nonlinearity() {
        @Override
        void forward(float[] z, float[] bias, int m, int n) {
            for (int i = 0; i < m; i++) {
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    z[row + j] = (float) Math.tanh(z[row + j] + bias[j]);
                }
            }
        }

        @Override
        void backprop(float[] a, float[] epsilon, int length) {
            for (int i = 0; i < length; i++) {
                epsilon[i] *= 1f - a[i] * a[i];
            }
        }
    };

    static final Nonlinearity IDENTITY = new Nonlinearity() {
        @Override
        void forward(float[] z, float[] bias, int m, int n) {
            for (int i = 0; i < m; i++) {
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    z[row + j] += bias[j];
                }
            }
        }

        @Override
        void backprop(float[] a, float[] epsilon, int length) {
        }
    };

    static Nonlinearity leaky(float alpha) {
        return new Nonlinearity() {
            @Override
            void forward(float[] z, float[] bias, int m, int n) {
                for (int i = 0; i < m; i++) {
                    int row = i * n;
                    for (int j = 0; j < n; j++) {
                        float v = z[row + j] + bias[j];
                        z[row + j] = v > 0f ? v : alpha * v;
                    }
                }
            }

            @Override
            void backprop(float[] a, float[] epsilon, int length) {
                for (int i = 0; i < length; i++) {
                    epsilon[i] *= a[i] > 0f ? 1f : alpha;
                }
            }
        };
    }

    /** Row-wise softmax. Its backprop is only ever taken together with the cross-entropy loss, as a - y. */
    static final Nonlinearity SOFTMAX = new Nonlinearity() {
        @Override
        void forward(float[] z, float[] bias, int m, int n) {
            for (int i = 0; i < m; i++) {
                int row = i * n;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    z[row + j] += bias[j];
                    max = Math.max(max, z[row + j]);
                }
                float sum = 0f;
                for (int j = 0; j < n; j++) {
                    float e = (float) Math.exp(z[row + j] - max);
                    z[row + j] = e;
                    sum += e;
                }
                for (int j = 0; j < n; j++) {
                    z[row + j] /= sum;
                }
            }
        }

        @Override
        void backprop(float[] a, float[] epsilon, int length) {
            throw new UnsupportedOperationException("softmax is fused only with the cross-entropy loss");
        }
    };
}
