package io.mnistspark.model;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dropout mask drawn without a branch. */
class DropoutMaskTest {

    @Test
    void maskEqualsTheComparisonFromTheSameDraws() {
        for (double retain : new double[]{1.0, 0.7, 0.5, 0.3, 1e-6}) {
            for (int length : new int[]{0, 1, 2, 3, 7, 800, 801}) {
                float[] scales = new float[length];
                SplittableRandom random = new SplittableRandom(length * 31L + Double.hashCode(retain));
                DropoutMask.draw(scales, length, retain, random);
                float[] expected = comparison(length, retain,
                        new SplittableRandom(length * 31L + Double.hashCode(retain)));
                for (int i = 0; i < length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(scales[i]),
                            "retain " + retain + ", length " + length + ", unit " + i);
                }
                // as many draws as before: what follows the mask in a run repeats as before
                long next = random.nextLong();
                SplittableRandom reference = new SplittableRandom(length * 31L + Double.hashCode(retain));
                for (int i = 0; i < (length + 1) / 2; i++) {
                    reference.nextLong();
                }
                assertEquals(reference.nextLong(), next, "draws used, retain " + retain + ", length " + length);
            }
        }
    }

    /** The mask as it was drawn before, with a comparison a unit. */
    private static float[] comparison(int length, double retain, SplittableRandom random) {
        float[] scales = new float[length];
        int threshold = (int) Math.round(retain * (1 << 24));
        float scale = (float) (1.0 / retain);
        for (int i = 0; i < length; i += 2) {
            long bits = random.nextLong();
            scales[i] = ((int) (bits >>> 40)) < threshold ? scale : 0f;
            if (i + 1 < length) {
                scales[i + 1] = ((int) ((bits >>> 8) & 0xFFFFFF)) < threshold ? scale : 0f;
            }
        }
        return scales;
    }
}
