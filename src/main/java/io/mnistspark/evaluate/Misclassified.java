package io.mnistspark.evaluate;

import io.mnistspark.data.LabeledImages;
import io.mnistspark.data.MiniBatches;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The test images a model gets wrong, found on the driver by running the network over the images in their
 * order: the first {@code limit} of them with their pixels, and how many there are in all.
 *
 * @param examples the first misclassified images, in test-set order
 * @param total    all misclassified images
 * @param examined the images looked at (the whole set)
 */
public record Misclassified(List<Example> examples, long total, long examined) {

    /**
     * One misclassified image: its index in the test set, true and predicted label, the network's output for
     * the predicted and for the true label, and its pixels (row by row, 0..255).
     */
    public record Example(int index, int label, int predicted, double predictedOutput, double labelOutput,
                          int rows, int columns, int[] pixels) {
    }

    public static Misclassified find(MultiLayerNetwork network, LabeledImages images, int limit, int batchSize) {
        List<Example> examples = new ArrayList<>();
        long total = 0;
        for (int from = 0; from < images.count(); from += batchSize) {
            int to = Math.min(images.count(), from + batchSize);
            INDArray output = network.output(MiniBatches.toDataSet(images, null, from, to).getFeatures(), false);
            for (int r = 0; r < to - from; r++) {
                INDArray row = output.getRow(r);
                int predicted = row.argMax().getInt(0);
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
                    examples.add(new Example(index, label, predicted, row.getDouble(predicted), row.getDouble(label),
                            images.rows(), images.columns(), pixels));
                }
            }
        }
        return new Misclassified(examples, total, images.count());
    }
}
