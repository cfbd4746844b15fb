package io.mnistspark.model;

import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * DL4J's inverted {@link Dropout} done in Java by a fused layer: each input kept with probability p and scaled by
 * 1/p, the rest zeroed; the same mask multiplies the gradient on the way back. DL4J's implementation runs four
 * ND4J operations a layer a step, the random draw alone about 0.6 ms for best.conf's 100 x 800 inputs; this is
 * one pass. The draws come from a {@link SplittableRandom} seeded from the thread's ND4J generator, so a run is
 * as repeatable as with DL4J's dropout (the trainer seeds that generator before every mini-batch).
 */
final class DropoutMask {
    private final Dropout dropout;
    private float[] scales = new float[0];
    private float[] work;
    private int length;

    private DropoutMask(Dropout dropout) {
        this.dropout = dropout;
    }

    /** The Java twin of a layer's dropout, or null when it has none (no dropout, or another kind than DL4J's). */
    static DropoutMask of(IDropout dropout) {
        return dropout != null && dropout.getClass() == Dropout.class ? new DropoutMask((Dropout) dropout) : null;
    }

    /**
     * The layer's training input after dropout, or null when this cannot take it (another layout or data type:
     * DL4J's dropout then applies, and this mask is forgotten). In place when the layer may modify its input
     * (DL4J's rule, as for its own dropout), else into a new array of the input workspace.
     */
    INDArray applyTo(INDArray input, boolean inPlace, int iteration, int epoch, LayerWorkspaceMgr workspaceMgr) {
        if (!DenseKernels.rowMajor(input)) {
            clear();
            return null;
        }
        INDArray out = inPlace ? input
                : workspaceMgr.createUninitialized(ArrayType.INPUT, DataType.FLOAT, input.shape(), 'c');
        work = DenseKernels.load(input, work);
        apply(work, (int) input.length(), retain(iteration, epoch));
        DenseKernels.store(work, out);
        return out;
    }

    /** {@code gradient *= mask} in place; false (and nothing done) when no mask of this shape is waiting. */
    boolean backprop(INDArray gradient) {
        if (length != gradient.length()) {
            return false;
        }
        INDArray rows = DenseKernels.rowMajor(gradient) ? gradient : gradient.castTo(DataType.FLOAT).dup('c');
        work = DenseKernels.load(rows, work);
        for (int i = 0; i < length; i++) {
            work[i] *= scales[i];
        }
        DenseKernels.store(work, rows);
        if (rows != gradient) {
            gradient.assign(rows);
        }
        length = 0;
        return true;
    }

    /** The probability of keeping a unit at this iteration and epoch (DL4J's p, or its schedule). */
    private double retain(int iteration, int epoch) {
        return dropout.getPSchedule() != null ? dropout.getPSchedule().valueAt(iteration, epoch) : dropout.getP();
    }

    /** Draws a new mask for {@code length} values and multiplies {@code values} by it in place. */
    private void apply(float[] values, int length, double retain) {
        if (scales.length < length) {
            scales = new float[length];
        }
        this.length = length;
        draw(scales, length, retain, new SplittableRandom(Nd4j.getRandom().nextLong()));
        for (int i = 0; i < length; i++) {
            values[i] *= scales[i];
        }
    }

    /**
     * The mask: {@code scales[i]} is 1/retain for a kept unit and 0 for a dropped one; a unit is kept when a
     * uniform 24-bit draw falls below retain x 2^24, two draws from each of {@code random}'s 64-bit numbers.
     */
    static void draw(float[] scales, int length, double retain, SplittableRandom random) {
        int threshold = (int) Math.round(retain * (1 << 24));
        float scale = (float) (1.0 / retain);
        // without a branch (a share 1 - p of the units dropped at random defeats the branch predictor):
        // (draw - threshold) >>> 31 is 1 when the 24-bit draw is below the threshold, else 0; times the scale,
        // exactly scale or 0
        int pairs = length & ~1;
        for (int i = 0; i < pairs; i += 2) {
            long bits = random.nextLong();
            scales[i] = ((((int) (bits >>> 40)) - threshold) >>> 31) * scale;
            scales[i + 1] = ((((int) ((bits >>> 8) & 0xFFFFFF)) - threshold) >>> 31) * scale;
        }
        if (pairs < length) {
            long bits = random.nextLong();
            scales[pairs] = ((((int) (bits >>> 40)) - threshold) >>> 31) * scale;
        }
    }

    /** Forgets the mask: the next backward pass needs a new forward pass. */
    void clear() {
        length = 0;
    }
}
