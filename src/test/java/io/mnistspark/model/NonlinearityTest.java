package io.mnistspark.model;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Java activations' derivatives, where they are written without a comparison. */
class NonlinearityTest {

    @Test
    void reluBackpropKeepsEpsilonExactlyWhereTheActivationIsAboveZero() {
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.5f};
        SplittableRandom random = new SplittableRandom(7);
        int n = 200_000;
        float[] a = new float[n];
        float[] epsilon = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i < special.length ? special[i] : Float.intBitsToFloat(random.nextInt());
            epsilon[i] = i % 7 == 0 ? -(float) random.nextDouble() : (float) random.nextDouble();
        }
        epsilon[1] = Float.NaN;
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = a[i] > 0f ? epsilon[i] : 0f;
        }
        Nonlinearity.RELU.backprop(a, epsilon, n);
        for (int i = 0; i < n; i++) {
            int at = i;
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(epsilon[i]),
                    () -> "activation " + a[at] + " at " + at);
        }
    }
}
