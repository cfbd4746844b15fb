package io.mnistspark.score;

import io.mnistspark.data.FeatureFrames;
import io.mnistspark.evaluate.EvaluationResult;
import io.mnistspark.evaluate.Evaluator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.ml.functions.vector_to_array;

/**
 * The rows {@code score} writes, from a classifier's output: the id column ({@code index} or {@code path}),
 * {@code label} (when known), {@code prediction} (0-9), {@code probability} (of the predicted class) and
 * {@code p0}..{@code p9} (every class's probability).
 */
public final class Predictions {
    private Predictions() {
    }

    public static Dataset<Row> flatten(Dataset<Row> scored, String idColumn, boolean labelled, int classes) {
        Column probabilities = vector_to_array(col("probability"), "float64");
        List<Column> columns = new ArrayList<>();
        columns.add(col(idColumn));
        if (labelled) {
            columns.add(col(FeatureFrames.LABEL).cast("int").as(FeatureFrames.LABEL));
        }
        columns.add(col("prediction").cast("int").as("prediction"));
        columns.add(array_max(probabilities).as("probability"));
        for (int c = 0; c < classes; c++) {
            columns.add(probabilities.getItem(c).as("p" + c));
        }
        return scored.select(columns.toArray(new Column[0]));
    }

    /** Accuracy, per-class metrics and confusion matrix of labelled predictions (as {@code evaluate} reports them). */
    public static EvaluationResult evaluate(Dataset<Row> predictions, int classes) {
        long[][] confusion = new long[classes][classes];
        for (Row row : predictions.groupBy(FeatureFrames.LABEL, "prediction").count().collectAsList()) {
            confusion[row.getInt(0)][row.getInt(1)] = row.getLong(2);
        }
        return Evaluator.fromConfusion(confusion);
    }
}
