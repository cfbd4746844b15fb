package io.mnistspark.evaluate;

import io.mnistspark.data.FeatureFrames;
import io.mnistspark.data.ImageBlocks;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.model.FusedLayers;
import io.mnistspark.model.NetworkPool;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Evaluates a network on the executors: each task runs its blocks of images through the network's standard
 * layers in batches, with the forward pass scoring uses (DL4J's outputs, bit for bit: the numbers
 * {@code evaluate} gets from the written model.zip), and counts (label, prediction) pairs; the driver adds
 * the tasks' confusion matrices. The network travels as its configuration and one array of parameters, and
 * each executor JVM keeps the networks it built for the next evaluation ({@link NetworkPool}).
 */
public final class Evaluator {
    private final int classes;
    private final int batchSize;

    public Evaluator(int classes, int batchSize) {
        this.classes = classes;
        this.batchSize = batchSize;
    }

    public EvaluationResult evaluate(JavaSparkContext sc, MultiLayerNetwork network, ImageBlocks data) {
        MultiLayerNetwork standard = FusedLayers.standard(network);
        // without the epoch and iteration counts DL4J writes into it: one configuration, one pool, every epoch
        MultiLayerConfiguration configuration = standard.getLayerWiseConfigurations().clone();
        configuration.setEpochCount(0);
        configuration.setIterationCount(0);
        Broadcast<Parameters> parameters = sc.broadcast(new Parameters(configuration.toJson(),
                standard.params().toFloatVector()));
        try {
            int tasks = Math.max(1, Math.min(data.rdd().getNumPartitions(), sc.defaultParallelism()));
            long[] counts = data.rdd().coalesce(tasks)
                    .mapPartitions(new ConfusionCounts(parameters, classes, batchSize, data.pixelsPerImage()))
                    .reduce(Evaluator::sum);
            long[][] confusion = new long[classes][classes];
            for (int actual = 0; actual < classes; actual++) {
                System.arraycopy(counts, actual * classes, confusion[actual], 0, classes);
            }
            return fromConfusion(confusion);
        } finally {
            parameters.destroy();
        }
    }

    private static long[] sum(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
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

    /** A network as its (standard layers') configuration and parameters. */
    record Parameters(String configuration, float[] values) implements Serializable {
    }

    /** One task's confusion matrix ({@code classes x classes}, row = label) over its blocks. */
    private static final class ConfusionCounts implements FlatMapFunction<Iterator<LabeledImages>, long[]> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<Parameters> parameters;
        private final int classes;
        private final int batchSize;
        private final int pixels;

        ConfusionCounts(Broadcast<Parameters> parameters, int classes, int batchSize, int pixels) {
            this.parameters = parameters;
            this.classes = classes;
            this.batchSize = batchSize;
            this.pixels = pixels;
        }

        @Override
        public Iterator<long[]> call(Iterator<LabeledImages> blocks) {
            long[] counts = new long[classes * classes];
            if (!blocks.hasNext()) {
                return Collections.singletonList(counts).iterator();
            }
            Parameters network = parameters.value();
            String key = "evaluation:" + network.configuration();
            NetworkPool.Pooled pooled = NetworkPool.borrow(key, () -> build(network.configuration()));
            try {
                pooled.network().setParams(Nd4j.createFromArray(network.values()).reshape(1, network.values().length));
                float[] inputs = new float[batchSize * pixels];
                while (blocks.hasNext()) {
                    LabeledImages block = blocks.next();
                    byte[] images = block.pixelBytes();
                    byte[] labels = block.labelBytes();
                    for (int from = 0; from < labels.length; from += batchSize) {
                        int n = Math.min(batchSize, labels.length - from);
                        for (int i = 0, at = from * pixels; i < n * pixels; i++, at++) {
                            inputs[i] = FeatureFrames.input(images[at] & 0xFF);
                        }
                        float[] outputs = pooled.outputs(inputs, n, pixels);
                        for (int r = 0; r < n; r++) {
                            int label = labels[from + r] & 0xFF;
                            if (label >= classes) {
                                throw new IllegalStateException("label " + label + " of a network with " + classes
                                        + " outputs (the labels are checked before evaluation)");
                            }
                            counts[label * classes + argMax(outputs, r * classes, classes)]++;
                        }
                    }
                }
            } finally {
                NetworkPool.giveBack(key, pooled);
            }
            return Collections.singletonList(counts).iterator();
        }

        /** The first largest of {@code count} values from {@code from} (ND4J's argMax keeps the first too). */
        private static int argMax(float[] values, int from, int count) {
            int best = 0;
            for (int i = 1; i < count; i++) {
                if (values[from + i] > values[from + best]) {
                    best = i;
                }
            }
            return best;
        }

        private static MultiLayerNetwork build(String configuration) {
            MultiLayerNetwork network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
            network.init();
            return network;
        }
    }
}
