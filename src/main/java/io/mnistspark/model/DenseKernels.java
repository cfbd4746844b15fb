package io.mnistspark.model;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The arithmetic of a dense layer on ND4J's float arrays without ND4J's per-operation machinery: matrix products
 * go straight to the OpenBLAS {@code cblas_sgemm} that ND4J itself loads, element-wise work runs in Java over the
 * arrays' native memory. An ND4J operation costs 10-20 us before any arithmetic (shape descriptors, an op
 * context, a result array); a call here costs under 1 us.
 *
 * <p>Layouts, in row-major terms: activations, inputs and their gradients are {@code [examples, units]}
 * row-major ('c'); a weight matrix {@code W [nIn, nOut]} is DL4J's column-major ('f') view, i.e. the row-major
 * {@code [nOut, nIn]} matrix Wt, which is how the products below read and write it.
 */
final class DenseKernels {
    private static final int ROW_MAJOR = openblas_nolapack.CblasRowMajor;
    private static final int COLUMN_MAJOR = openblas_nolapack.CblasColMajor;
    private static final int NO_TRANS = openblas_nolapack.CblasNoTrans;
    private static final int TRANS = openblas_nolapack.CblasTrans;

    private DenseKernels() {
    }

    /** True when {@code a} is a float matrix laid out row-major with no gaps (what the kernels read as 'c'). */
    static boolean rowMajor(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.rank() == 2
                && (a.size(0) == 1 || a.stride(0) == a.size(1)) && (a.size(1) == 1 || a.stride(1) == 1);
    }

    /** True when {@code w [nIn, nOut]} is a float matrix laid out column-major with no gaps (DL4J's weights). */
    static boolean columnMajor(INDArray w) {
        return w.dataType() == DataType.FLOAT && w.rank() == 2
                && (w.size(0) == 1 || w.stride(0) == 1) && (w.size(1) == 1 || w.stride(1) == w.size(0));
    }

    /**
     * A float buffer over the array's own elements (from its first, in memory order), native byte order. The
     * caller keeps {@code a} reachable while it uses the buffer: without workspaces, the memory is freed once the
     * array is collected.
     */
    static FloatBuffer floats(INDArray a) {
        return pointer(a).asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static FloatPointer pointer(INDArray a) {
        Pointer address = a.data().addressPointer();
        FloatPointer floats = new FloatPointer(address);
        long length = a.length();
        floats.position(0).limit(length).capacity(length);
        return floats;
    }

    /** {@code z [m, nOut] = x [m, nIn] . W}, with W DL4J's column-major {@code [nIn, nOut]}. */
    static void forward(INDArray x, INDArray w, INDArray z) {
        int m = (int) x.size(0);
        int nIn = (int) w.size(0);
        int nOut = (int) w.size(1);
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, m, nOut, nIn, 1f,
                pointer(x), nIn, pointer(w), nIn, 0f, pointer(z), nOut);
        keepAlive(x, w, z);
    }

    /**
     * {@code z [m, nOut] = x [m, nIn] . W} into a column-major ('f') {@code z}, with the one {@code cblas_sgemm}
     * call libnd4j's matrix multiplication makes for these layouts (column-major, x read transposed when it is
     * row-major): the same products, bit for bit, as DL4J's dense layers at inference.
     */
    static void forwardColumnMajor(INDArray x, INDArray w, INDArray z) {
        int m = (int) x.size(0);
        int nIn = (int) w.size(0);
        int nOut = (int) w.size(1);
        // libnd4j reads x untransposed when its rows are contiguous in column-major terms: one row, or 'f' order
        boolean transpose = m > 1 && x.ordering() == 'c';
        openblas_nolapack.cblas_sgemm(COLUMN_MAJOR, transpose ? TRANS : NO_TRANS, NO_TRANS, m, nOut, nIn, 1f,
                pointer(x), transpose ? nIn : m, pointer(w), nIn, 0f, pointer(z), m);
        keepAlive(x, w, z);
    }

    /** {@code dW = scale x^T . delta} into DL4J's column-major {@code [nIn, nOut]} gradient view. */
    static void weightGradient(INDArray x, INDArray delta, float scale, INDArray weightGradient) {
        int m = (int) x.size(0);
        int nIn = (int) weightGradient.size(0);
        int nOut = (int) weightGradient.size(1);
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, nOut, nIn, m, scale,
                pointer(delta), nOut, pointer(x), nIn, 0f, pointer(weightGradient), nIn);
        keepAlive(x, delta, weightGradient);
    }

    /** {@code epsilon [m, nIn] = delta [m, nOut] . W^T}: the gradient with respect to the layer's input. */
    static void inputGradient(INDArray delta, INDArray w, INDArray epsilon) {
        int m = (int) delta.size(0);
        int nIn = (int) w.size(0);
        int nOut = (int) w.size(1);
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, m, nIn, nOut, 1f,
                pointer(delta), nOut, pointer(w), nIn, 0f, pointer(epsilon), nIn);
        keepAlive(delta, w, epsilon);
    }

    /** Without workspaces an array's memory is freed once the array is collected: not while BLAS reads it. */
    private static void keepAlive(INDArray a, INDArray b, INDArray c) {
        java.lang.ref.Reference.reachabilityFence(a);
        java.lang.ref.Reference.reachabilityFence(b);
        java.lang.ref.Reference.reachabilityFence(c);
    }

    /** The array's values in {@code into} (grown when too small), row-major: one bulk copy out of native memory. */
    static float[] load(INDArray a, float[] into) {
        int length = (int) a.length();
        float[] values = into != null && into.length >= length ? into : new float[length];
        floats(a).get(0, values, 0, length);
        java.lang.ref.Reference.reachabilityFence(a);
        return values;
    }

    /** Writes the first {@code a.length()} values of {@code from} into the array: one bulk copy into native memory. */
    static void store(float[] from, INDArray a) {
        floats(a).put(0, from, 0, (int) a.length());
        java.lang.ref.Reference.reachabilityFence(a);
    }

    /** {@code b = scale x} the column sums of {@code delta [m, n]}, into {@code sums} (grown when too small). */
    static float[] columnSums(float[] delta, int m, int n, float scale, float[] sums) {
        float[] out = sums != null && sums.length >= n ? sums : new float[n];
        java.util.Arrays.fill(out, 0, n, 0f);
        for (int i = 0; i < m; i++) {
            int row = i * n;
            for (int j = 0; j < n; j++) {
                out[j] += delta[row + j];
            }
        }
        for (int j = 0; j < n; j++) {
            out[j] *= scale;
        }
        return out;
    }
}
