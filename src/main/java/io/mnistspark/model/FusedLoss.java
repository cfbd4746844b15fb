package io.mnistspark.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * A DL4J loss function with its output activation, as a fused output layer computes them: dL/dz from the outputs
 * and labels in one pass, and the summed score. The two pairs the presets use are covered, with DL4J's formulas:
 * {@code LossL2} with sigmoid outputs (Nielsen's quadratic cost) and {@code LossMCXENT} with softmax.
 */
abstract class FusedLoss {
    /** {@code delta = dL/dz} for outputs {@code a} and labels {@code y}, not divided by the mini-batch size. */
    abstract void gradient(float[] a, float[] y, float[] delta, int length);

    /** The loss summed over the mini-batch. */
    abstract double score(float[] a, float[] y, int length);

    /** The fused twin of {@code loss} with {@code activation}, or null when there is none. */
    static FusedLoss of(ILossFunction loss, IActivation activation) {
        if (loss.getClass() == LossL2.class && ((LossL2) loss).getWeights() == null
                && activation.getClass() == ActivationSigmoid.class) {
            return QUADRATIC_SIGMOID;
        }
        if (loss.getClass() == LossMCXENT.class && ((LossMCXENT) loss).getWeights() == null
                && activation.getClass() == ActivationSoftmax.class) {
            return crossEntropySoftmax(((LossMCXENT) loss).getSoftmaxClipEps());
        }
        return null;
    }

    /** LossL2: L = |y - a|^2, so dL/dz = 2 (a - y) a (1 - a). */
    static final FusedLoss QUADRATIC_SIGMOID = new FusedLoss() {
        @Override
        void gradient(float[] a, float[] y, float[] delta, int length) {
            for (int i = 0; i < length; i++) {
                float out = a[i];
                float dLda = (out - y[i]) * 2f;
                delta[i] = dLda * (out * (1f - out));
            }
        }

        @Override
        double score(float[] a, float[] y, int length) {
            double sum = 0;
            for (int i = 0; i < length; i++) {
                float d = y[i] - a[i];
                sum += d * d;
            }
            return sum;
        }
    };

    /** LossMCXENT with softmax: dL/dz = a - y; the score clips the outputs to [eps, 1 - eps] before the log. */
    static FusedLoss crossEntropySoftmax(double clipEps) {
        return new FusedLoss() {
            @Override
            void gradient(float[] a, float[] y, float[] delta, int length) {
                for (int i = 0; i < length; i++) {
                    delta[i] = a[i] - y[i];
                }
            }

            @Override
            double score(float[] a, float[] y, int length) {
                float low = (float) clipEps;
                float high = (float) (1.0 - clipEps);
                double sum = 0;
                for (int i = 0; i < length; i++) {
                    float label = y[i];
                    if (label != 0f) {
                        float out = a[i];
                        if (clipEps > 0) {
                            out = Math.min(Math.max(out, low), high);
                        }
                        sum -= label * Math.log(out);
                    }
                }
                return sum;
            }
        };
    }
}
