package io.mnistspark.evaluate;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.evaluation.classification.ConfusionMatrix;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a network on the executors (each partition scores its own batches, DL4J merges the counts) and
 * converts DL4J's {@link Evaluation} into an {@link EvaluationResult}.
 */
public final class Evaluator {
    private final int classes;
    private final int batchSize;

    public Evaluator(int classes, int batchSize) {
        this.classes = classes;
        this.batchSize = batchSize;
    }

    public EvaluationResult evaluate(SparkDl4jMultiLayer network, JavaRDD<DataSet> data) {
        Evaluation evaluation = network.doEvaluation(data, new Evaluation(classes), batchSize);
        return toResult(evaluation, classes);
    }

    public static EvaluationResult toResult(Evaluation evaluation, int classes) {
        ConfusionMatrix<Integer> matrix = evaluation.getConfusionMatrix();
        long[][] confusion = new long[classes][classes];
        for (int actual = 0; actual < classes; actual++) {
            for (int predicted = 0; predicted < classes; predicted++) {
                confusion[actual][predicted] = matrix.getCount(actual, predicted);
            }
        }
        return fromConfusion(confusion);
    }

    /** Accuracy and per-digit precision, recall and F1 of a confusion matrix ({@code confusion[actual][predicted]}). */
    public static EvaluationResult fromConfusion(long[][] confusion) {
        int classes = confusion.length;
        long correct = 0;
        long total = 0;
        for (int actual = 0; actual < classes; actual++) {
            for (int predicted = 0; predicted < classes; predicted++) {
                total += confusion[actual][predicted];
            }
            correct += confusion[actual][actual];
        }
        List<ClassMetrics> perClass = new ArrayList<>();
        for (int digit = 0; digit < classes; digit++) {
            long support = 0;
            long predictedAs = 0;
            for (int other = 0; other < classes; other++) {
                support += confusion[digit][other];
                predictedAs += confusion[other][digit];
            }
            long truePositives = confusion[digit][digit];
            double precision = predictedAs == 0 ? 0.0 : (double) truePositives / predictedAs;
            double recall = support == 0 ? 0.0 : (double) truePositives / support;
            double f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
            perClass.add(new ClassMetrics(digit, precision, recall, f1, support));
        }
        double accuracy = total == 0 ? 0.0 : (double) correct / total;
        return new EvaluationResult(accuracy, correct, total, perClass, confusion);
    }
}
