package io.mnistspark.ml;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Scores one partition on an executor: rows are taken {@code batchSize} at a time, their feature vectors
 * go through the network in one call, and each row comes out with Spark's classifier columns appended.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final String poolKey;
    private final int numFeatures;
    private final int batchSize;
    private final boolean softmax;
    private final double[] thresholds;
    private final int inputColumns;
    private final int featuresIndex;
    /** For each appended output column: 0 rawPrediction, 1 probability, 2 prediction. */
    private final int[] appended;

    PartitionScorer(Broadcast<byte[]> model, String poolKey, int numFeatures, int batchSize, boolean softmax,
                    double[] thresholds, StructType input, StructType output, String featuresColumn,
                    String rawPredictionColumn, String probabilityColumn, String predictionColumn) {
        this.model = model;
        this.poolKey = poolKey;
        this.numFeatures = numFeatures;
        this.batchSize = batchSize;
        this.softmax = softmax;
        this.thresholds = thresholds;
        this.inputColumns = input.length();
        this.featuresIndex = input.fieldIndex(featuresColumn);
        this.appended = new int[output.length() - input.length()];
        for (int i = 0; i < appended.length; i++) {
            String name = output.fields()[input.length() + i].name();
            appended[i] = name.equals(rawPredictionColumn) ? 0 : name.equals(probabilityColumn) ? 1
                    : name.equals(predictionColumn) ? 2 : -1;
            if (appended[i] < 0) {
                throw new IllegalStateException("unexpected output column " + name);
            }
        }
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private final Deque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && rows.hasNext()) {
                    scoreBatch(rows, ready);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.pollFirst();
            }
        };
    }

    private void scoreBatch(Iterator<Row> rows, Deque<Row> ready) {
        Row[] batch = new Row[batchSize];
        Vector[] features = new Vector[batchSize];
        int n = 0;
        while (n < batchSize && rows.hasNext()) {
            batch[n] = rows.next();
            features[n] = (Vector) batch[n].get(featuresIndex);
            n++;
        }
        double[][] outputs = score(NetworkPool.borrow(poolKey, model::value), poolKey, features, n, numFeatures);
        for (int r = 0; r < n; r++) {
            Object[] values = new Object[inputColumns + appended.length];
            for (int c = 0; c < inputColumns; c++) {
                values[c] = batch[r].get(c);
            }
            double[] raw = outputs[r];
            double[] probability = probabilities(raw);
            for (int i = 0; i < appended.length; i++) {
                values[inputColumns + i] = switch (appended[i]) {
                    case 0 -> Vectors.dense(raw);
                    case 1 -> Vectors.dense(probability);
                    default -> prediction(raw, probability);
                };
            }
            ready.add(RowFactory.create(values));
        }
    }

    /** The network's outputs for the first {@code n} vectors; {@code network} is given back to the pool. */
    static double[][] score(MultiLayerNetwork network, String poolKey, Vector[] features, int n, int numFeatures) {
        try {
            float[] x = new float[n * numFeatures];
            for (int r = 0; r < n; r++) {
                if (features[r] == null) {
                    throw new IllegalArgumentException("null feature vector");
                }
                if (features[r].size() != numFeatures) {
                    throw new IllegalArgumentException("a feature vector has " + features[r].size()
                            + " values, the model takes " + numFeatures);
                }
                double[] values = features[r] instanceof DenseVector dense ? dense.values() : features[r].toArray();
                int offset = r * numFeatures;
                for (int i = 0; i < numFeatures; i++) {
                    x[offset + i] = (float) values[i];
                }
            }
            INDArray input = Nd4j.create(x, new long[]{n, numFeatures}, 'c');
            INDArray output = network.output(input, false);
            double[][] result = output.toDoubleMatrix();
            input.close();
            output.close();
            return result;
        } finally {
            NetworkPool.giveBack(poolKey, network);
        }
    }

    private double[] probabilities(double[] raw) {
        double[] p = raw.clone();
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

    /** Spark's rule: the largest output, or with thresholds the largest probability / threshold. */
    private double prediction(double[] raw, double[] probability) {
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < raw.length; i++) {
            double value = thresholds == null ? raw[i]
                    : thresholds[i] == 0 ? Double.POSITIVE_INFINITY : probability[i] / thresholds[i];
            if (value > bestValue) {
                best = i;
                bestValue = value;
            }
        }
        return best;
    }
}
