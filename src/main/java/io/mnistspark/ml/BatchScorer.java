package io.mnistspark.ml;

import io.mnistspark.model.ModelStore;
import io.mnistspark.model.NetworkPool;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;

/**
 * The per-partition scoring of a {@link DenseNetClassificationModel}, on an executor: a batch of inputs (row by
 * row, as floats, the network's precision) goes through the network in one call, and each row gets Spark's
 * classifier outputs: the raw outputs, the probabilities (the outputs normalised to sum to 1 unless the
 * network ends in a softmax) and the prediction (the largest output, or with thresholds the largest
 * probability / threshold). {@link DenseNetClassificationModel#transform} scores its rows through this class,
 * and {@code score} hands it pixels straight from IDX blocks and decoded files: one code path, the same numbers.
 */
public final class BatchScorer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final String poolKey;
    private final int numFeatures;
    private final int numClasses;
    private final boolean softmax;
    private final double[] thresholds;

    BatchScorer(Broadcast<byte[]> model, String poolKey, int numFeatures, int numClasses, boolean softmax,
                double[] thresholds) {
        this.model = model;
        this.poolKey = poolKey;
        this.numFeatures = numFeatures;
        this.numClasses = numClasses;
        this.softmax = softmax;
        this.thresholds = thresholds;
    }

    public int numFeatures() {
        return numFeatures;
    }

    public int numClasses() {
        return numClasses;
    }

    /** The outputs of the first {@code n} rows of {@code inputs} ({@code n x numFeatures} values, row by row). */
    public Scores score(float[] inputs, int n) {
        float[] outputs = outputs(NetworkPool.borrow(poolKey, () -> ModelStore.restore(model.value(), poolKey)), poolKey, inputs, n, numFeatures);
        if (outputs.length != (long) n * numClasses) {
            throw new IllegalStateException("the network gave " + outputs.length + " outputs for " + n + " rows of "
                    + numClasses + " classes");
        }
        return new Scores(outputs, n);
    }

    /** The outputs of {@code pooled} for {@code n} rows ({@link NetworkPool.Pooled#outputs}), given back to the pool. */
    static float[] outputs(NetworkPool.Pooled pooled, String poolKey, float[] inputs, int n, int numFeatures) {
        try {
            return pooled.outputs(inputs, n, numFeatures);
        } finally {
            NetworkPool.giveBack(poolKey, pooled);
        }
    }

    /** {@code count} network outputs from {@code from} on, as Spark's doubles. */
    static double[] widen(float[] outputs, int from, int count) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = outputs[from + i];
        }
        return values;
    }

    /** The classifier outputs of one batch. */
    public final class Scores {
        private final float[] raw;
        private final int rows;
        private final int classes;

        Scores(float[] raw, int rows) {
            this.raw = raw;
            this.rows = rows;
            this.classes = numClasses;
        }

        public int rows() {
            return rows;
        }

        /** The network's outputs for row {@code r} (Spark's {@code rawPrediction}). */
        public double[] raw(int r) {
            return widen(raw, r * classes, classes);
        }

        /** Spark's {@code probability} of row {@code r}: the outputs normalised to sum to 1 (a softmax's already do). */
        public double[] probability(int r) {
            double[] p = raw(r);
            if (softmax) {
                return p;
            }
            double sum = 0;
            for (double v : p) {
                sum += v;
            }
            for (int i = 0; i < p.length; i++) {
                p[i] = sum > 0 ? p[i] / sum : 1.0 / p.length;
            }
            return p;
        }

        /** Spark's {@code prediction} of row {@code r}, given its {@link #probability}. */
        public int prediction(int r, double[] probability) {
            int best = 0;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < classes; i++) {
                double value = thresholds == null ? raw[r * classes + i]
                        : thresholds[i] == 0 ? Double.POSITIVE_INFINITY : probability[i] / thresholds[i];
                if (value > bestValue) {
                    best = i;
                    bestValue = value;
                }
            }
            return best;
        }
    }
}
