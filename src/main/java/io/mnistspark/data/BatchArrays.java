package io.mnistspark.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The arrays of a worker's mini-batches, made once and refilled: making a native array costs ND4J a shape
 * descriptor, a data buffer and a deallocator registration, 20-30 us for two arrays, which is a third of a
 * 10-image step of {@code conf/nielsen.conf}. Batch {@code k}'s arrays are filled again for batch
 * {@code k + SLOTS}, so only a consumer that is done with each mini-batch before it asks for the next may use
 * them: DL4J's fit is, when the worker builds its own mini-batches ({@code spark.prefetch-batches = 0}) and
 * fits them as they come ({@code spark.rdd-training-approach = direct}); a prefetch queue or an export keeps
 * several (see {@link EpochPlan#reusingBatchArrays}). A batch of another size gets arrays of its own.
 */
final class BatchArrays {
    /** The batch being fitted, the one DL4J's network still names as its input, and one to spare. */
    static final int SLOTS = 3;

    private final INDArray[] features = new INDArray[SLOTS];
    private final INDArray[] labels = new INDArray[SLOTS];
    private float[] featureValues = new float[0];
    private float[] labelValues = new float[0];
    private int next;

    /** A scratch array of {@code length} pixel values, overwritten by the caller. */
    float[] featureValues(int length) {
        if (featureValues.length != length) {
            featureValues = new float[length];
        }
        return featureValues;
    }

    /** A scratch array of {@code length} zeros for one-hot labels. */
    float[] labelValues(int length) {
        if (labelValues.length != length) {
            labelValues = new float[length];
        } else {
            Arrays.fill(labelValues, 0f);
        }
        return labelValues;
    }

    /** The next slot's arrays ({@code rows} x columns) holding the values, as a mini-batch. */
    DataSet dataSet(float[] featureValues, float[] labelValues, int rows, int pixels, int classes) {
        int slot = next;
        next = (next + 1) % SLOTS;
        if (features[slot] == null || features[slot].size(0) != rows || features[slot].size(1) != pixels
                || labels[slot].size(1) != classes) {
            features[slot] = Nd4j.createUninitialized(DataType.FLOAT, rows, pixels);
            labels[slot] = Nd4j.createUninitialized(DataType.FLOAT, rows, classes);
        }
        Batches.fill(features[slot], featureValues);
        Batches.fill(labels[slot], labelValues);
        return new DataSet(features[slot], labels[slot]);
    }
}
