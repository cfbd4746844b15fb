package io.mnistspark.evaluate;

import io.mnistspark.data.Batches;
import io.mnistspark.data.ImageBlocks;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.model.ModelStore;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The test images a model gets wrong, found by the executors (each scores its blocks of the test set and sends
 * back only its first misclassified images): the first {@code limit} of them with their pixels, in test-set
 * order, and how many there are in all.
 *
 * @param examples the first misclassified images, in test-set order
 * @param total    all misclassified images
 * @param examined the images looked at (the whole set)
 */
public record Misclassified(List<Example> examples, long total, long examined) implements Serializable {

    /**
     * One misclassified image: its index in the test set, true and predicted label, the network's output for
     * the predicted and for the true label, and its pixels (row by row, 0..255).
     */
    public record Example(int index, int label, int predicted, double predictedOutput, double labelOutput,
                          int rows, int columns, int[] pixels) implements Serializable {
    }

    public static Misclassified find(JavaSparkContext sc, MultiLayerNetwork network, ImageBlocks images, int limit,
                                     int batchSize) {
        Broadcast<byte[]> model = sc.broadcast(ModelStore.bytes(network));
        int classes = (int) network.getLayer(network.getnLayers() - 1).getParam("b").length();
        long[] firsts = images.offsets();
        try {
            List<Misclassified> parts = images.rdd().mapPartitionsWithIndex((p, blocks) -> {
                MultiLayerNetwork net = ModelStore.restore(model.value(), "the report's model");
                List<Misclassified> out = new ArrayList<>();
                while (blocks.hasNext()) {
                    out.add(inBlock(net, blocks.next(), (int) firsts[p], limit, batchSize, classes));
                }
                return out.iterator();
            }, true).collect();
            List<Example> examples = new ArrayList<>();
            long total = 0;
            long examined = 0;
            for (Misclassified part : parts) {
                examples.addAll(part.examples());
                total += part.total();
                examined += part.examined();
            }
            examples.sort(Comparator.comparingInt(Example::index));
            return new Misclassified(List.copyOf(examples.subList(0, Math.min(limit, examples.size()))), total, examined);
        } finally {
            model.destroy(false);
        }
    }

    /** The misclassified images of one block whose first image is test image {@code first}. */
    static Misclassified inBlock(MultiLayerNetwork network, LabeledImages images, int first, int limit, int batchSize,
                                 int classes) {
        List<Example> examples = new ArrayList<>();
        long total = 0;
        for (int from = 0; from < images.count(); from += batchSize) {
            int to = Math.min(images.count(), from + batchSize);
            INDArray output = network.output(Batches.toDataSet(images, null, from, to, classes).getFeatures(), false);
            int width = (int) output.size(1);
            float[] outputs = Batches.rowMajor(output);
            for (int r = 0; r < to - from; r++) {
                int predicted = 0;
                for (int c = 1; c < width; c++) {
                    if (outputs[r * width + c] > outputs[r * width + predicted]) {
                        predicted = c;
                    }
                }
                int index = from + r;
                int label = images.label(index);
                if (predicted == label) {
                    continue;
                }
                total++;
                if (examples.size() < limit) {
                    int[] pixels = new int[images.pixelsPerImage()];
                    for (int p = 0; p < pixels.length; p++) {
                        pixels[p] = images.pixel(index, p);
                    }
                    examples.add(new Example(first + index, label, predicted, outputs[r * width + predicted],
                            label < width ? outputs[r * width + label] : 0.0, images.rows(), images.columns(), pixels));
                }
            }
        }
        return new Misclassified(examples, total, images.count());
    }
}
