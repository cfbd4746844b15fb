package io.mnistspark.data;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns 8-bit images into DL4J mini-batches (features pixel / 255 as float32, one-hot labels of K classes), and
 * copies float matrices into and out of ND4J in one bulk copy each.
 */
public final class Batches {
    private Batches() {
    }

    /**
     * The images at {@code order[from..to)} ({@code from..to} itself when order is null). The arrays are filled
     * with one bulk copy each: {@code Nd4j.create(float[], ...)} copies element by element, which profiled at a
     * tenth of an epoch's time for batches of 10.
     */
    public static DataSet toDataSet(LabeledImages images, int[] order, int from, int to, int classes) {
        int rows = to - from;
        int n = images.pixelsPerImage();
        byte[] pixels = images.pixelBytes();
        float[] features = new float[rows * n];
        float[] labels = new float[rows * classes];
        for (int r = 0; r < rows; r++) {
            int index = order == null ? from + r : order[from + r];
            int at = index * n;
            int out = r * n;
            for (int p = 0; p < n; p++) {
                features[out + p] = (pixels[at + p] & 0xFF) / 255f;
            }
            labels[r * classes + images.label(index)] = 1f;
        }
        return new DataSet(matrix(features, rows, n), matrix(labels, rows, classes));
    }

    /**
     * A matrix's values in row-major order, copied out of native memory at once: {@code toDoubleMatrix()} or
     * {@code getRow} would make an INDArray of every row, which costs more than the row's arithmetic.
     */
    public static float[] rowMajor(INDArray matrix) {
        if (matrix.ordering() == 'c' && !matrix.isView() && matrix.data().length() == matrix.length()) {
            return matrix.data().asFloat();
        }
        INDArray copy = matrix.dup('c');
        float[] values = copy.data().asFloat();
        copy.close();
        return values;
    }

    /** A rows x columns float32 matrix in row-major order holding {@code values}. */
    static INDArray matrix(float[] values, int rows, int columns) {
        INDArray matrix = Nd4j.createUninitialized(DataType.FLOAT, rows, columns);
        fill(matrix, values);
        return matrix;
    }

    /** Copies {@code values} into a float32 matrix of as many elements that has no gaps, in one bulk copy. */
    static void fill(INDArray matrix, float[] values) {
        new FloatPointer(matrix.data().addressPointer()).put(values, 0, values.length);
        java.lang.ref.Reference.reachabilityFence(matrix);
    }
}
