package io.mnistspark.train;

import io.mnistspark.InvalidInputException;
import io.mnistspark.data.IdxPair;
import io.mnistspark.data.ImageBlocks;
import io.mnistspark.data.MnistDataset;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;

/**
 * The training, validation (optional) and test images as blocks on the executors, and the number of classes
 * the network predicts.
 *
 * @param classes {@code network.classes}, or the highest training label + 1
 */
public record TrainingData(ImageBlocks train, ImageBlocks validation, ImageBlocks test, int pixelsPerImage,
                           int classes) implements AutoCloseable {

    /**
     * Plans the blocks of an MNIST-format directory (the last {@code validationCount} training images held out)
     * and has the executors check every label: the class count comes from the training labels unless
     * {@code configuredClasses > 0}, and a test label outside it fails before training starts.
     */
    public static TrainingData read(JavaSparkContext sc, MnistDataset dataset, int validationCount, int configuredClasses) {
        int fit = dataset.fitCount(validationCount);
        IdxPair train = dataset.train();
        List<ImageBlocks> trainSets = validationCount == 0
                ? ImageBlocks.readIdx(sc, train, new long[]{0}, new long[]{fit})
                : ImageBlocks.readIdx(sc, train, new long[]{0, fit}, new long[]{fit, train.count()});
        ImageBlocks test = ImageBlocks.readIdx(sc, dataset.test(), new long[]{0}, new long[]{dataset.test().count()}).get(0);
        try {
            return of(sc, trainSets.get(0), validationCount == 0 ? null : trainSets.get(1), test, configuredClasses,
                    dataset.files().trainLabels().toString());
        } catch (RuntimeException e) {
            trainSets.forEach(ImageBlocks::close);
            test.close();
            throw e;
        }
    }

    /** Blocks already planned: counts the labels (with the checks of {@link #read}) and fixes the class count. */
    public static TrainingData of(JavaSparkContext sc, ImageBlocks train, ImageBlocks validation, ImageBlocks test,
                                  int configuredClasses, String trainLabelsName) {
        String limit = "network.classes = " + configuredClasses;
        long[] histogram = train.labelCounts(sc, configuredClasses, limit);
        if (validation != null) {
            long[] held = validation.labelCounts(sc, configuredClasses, limit);
            for (int i = 0; i < histogram.length; i++) {
                histogram[i] += held[i];
            }
        }
        int classes = configuredClasses;
        if (classes <= 0) {
            int max = 0;
            for (int i = 0; i < histogram.length; i++) {
                if (histogram[i] > 0) {
                    max = i;
                }
            }
            classes = Math.max(2, max + 1);
        }
        test.labelCounts(sc, classes, configuredClasses > 0 ? limit
                : "the training labels in " + trainLabelsName + " have " + classes + " classes; set network.classes to allow more");
        if (train.pixelsPerImage() != test.pixelsPerImage()) {
            throw new InvalidInputException(test.origin() + ": images of " + test.pixelsPerImage() + " pixels, but the training"
                    + " images have " + train.pixelsPerImage());
        }
        return new TrainingData(train, validation, test, train.pixelsPerImage(), classes);
    }

    @Override
    public void close() {
        train.close();
        if (validation != null) {
            validation.close();
        }
        test.close();
    }
}
