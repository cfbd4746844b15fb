package io.mnistspark.ml;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Scores one partition of a DataFrame on an executor: rows are taken {@code batchSize} at a time, their feature
 * vectors go through the network in one call ({@link BatchScorer}), and each row comes out with Spark's
 * classifier columns appended.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final BatchScorer scorer;
    private final int batchSize;
    private final int inputColumns;
    private final int featuresIndex;
    /** For each appended output column: 0 rawPrediction, 1 probability, 2 prediction. */
    private final int[] appended;

    PartitionScorer(BatchScorer scorer, int batchSize, StructType input, StructType output, String featuresColumn,
                    String rawPredictionColumn, String probabilityColumn, String predictionColumn) {
        this.scorer = scorer;
        this.batchSize = batchSize;
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
        int numFeatures = scorer.numFeatures();
        Row[] batch = new Row[batchSize];
        float[] inputs = new float[batchSize * numFeatures];
        int n = 0;
        while (n < batchSize && rows.hasNext()) {
            batch[n] = rows.next();
            copy((Vector) batch[n].get(featuresIndex), inputs, n * numFeatures, numFeatures);
            n++;
        }
        BatchScorer.Scores scores = scorer.score(inputs, n);
        for (int r = 0; r < n; r++) {
            Object[] values = new Object[inputColumns + appended.length];
            for (int c = 0; c < inputColumns; c++) {
                values[c] = batch[r].get(c);
            }
            double[] probability = scores.probability(r);
            for (int i = 0; i < appended.length; i++) {
                values[inputColumns + i] = switch (appended[i]) {
                    case 0 -> Vectors.dense(scores.raw(r));
                    case 1 -> Vectors.dense(probability);
                    default -> (double) scores.prediction(r, probability);
                };
            }
            ready.add(RowFactory.create(values));
        }
    }

    /** A feature vector as the network's float inputs at {@code offset}. */
    static void copy(Vector features, float[] into, int offset, int numFeatures) {
        if (features == null) {
            throw new IllegalArgumentException("null feature vector");
        }
        if (features.size() != numFeatures) {
            throw new IllegalArgumentException("a feature vector has " + features.size()
                    + " values, the model takes " + numFeatures);
        }
        double[] values = features instanceof DenseVector dense ? dense.values() : features.toArray();
        for (int i = 0; i < numFeatures; i++) {
            into[offset + i] = (float) values[i];
        }
    }
}
