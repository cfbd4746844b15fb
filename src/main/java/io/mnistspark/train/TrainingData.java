package io.mnistspark.train;

import io.mnistspark.InvalidInputException;
import io.mnistspark.data.IdxPair;
import io.mnistspark.data.ImageBlocks;
import io.mnistspark.data.FrameBlocks;
import io.mnistspark.data.MnistDataset;
import io.mnistspark.data.ParquetImages;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
        return read(sc, dataset, validationCount, configuredClasses, () -> { });
    }

    /**
     * As {@link #read(JavaSparkContext, MnistDataset, int, int)}, running {@code whileReading} on this thread
     * while the executors read and cache a gzip pair (both sets' jobs run side by side).
     */
    public static TrainingData read(JavaSparkContext sc, MnistDataset dataset, int validationCount, int configuredClasses,
                                    Runnable whileReading) {
        int fit = dataset.fitCount(validationCount);
        IdxPair train = dataset.train();
        List<ImageBlocks> trainSets = validationCount == 0
                ? ImageBlocks.readIdx(sc, train, new long[]{0}, new long[]{fit})
                : ImageBlocks.readIdx(sc, train, new long[]{0, fit}, new long[]{fit, train.count()});
        ImageBlocks test;
        try {
            test = ImageBlocks.readIdx(sc, dataset.test(), new long[]{0}, new long[]{dataset.test().count()}).get(0);
        } catch (RuntimeException e) {
            trainSets.forEach(ImageBlocks::close);
            throw e;
        }
        try {
            Throwable warmUpFailure = null;
            try {
                whileReading.run();
            } catch (RuntimeException | Error e) {
                warmUpFailure = e; // a problem in the data, found meanwhile, is reported first
            }
            TrainingData data = of(sc, trainSets.get(0), validationCount == 0 ? null : trainSets.get(1), test,
                    configuredClasses, dataset.files().trainLabels().toString());
            if (warmUpFailure instanceof RuntimeException failure) {
                throw failure;
            }
            if (warmUpFailure instanceof Error failure) {
                throw failure;
            }
            return data;
        } catch (RuntimeException | Error e) {
            trainSets.forEach(ImageBlocks::close);
            test.close();
            throw e;
        }
    }

    /**
     * The {@code train/} and {@code test/} Parquet datasets of {@code directory} (the layout {@code convert}
     * writes), packed into blocks by the executors; validation images are held out at random with the seeded
     * fraction {@code validationSize} (a number of images becomes a fraction of the training rows).
     */
    public static TrainingData readParquet(JavaSparkContext sc, Path directory, double validationSize, long seed,
                                           int configuredClasses) {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Path trainPath = new Path(directory, ParquetImages.TRAIN);
        Path testPath = new Path(directory, ParquetImages.TEST);
        Dataset<Row> trainFrame = ParquetImages.read(spark, trainPath);
        Dataset<Row> testFrame = ParquetImages.read(spark, testPath);
        double fraction = validationSize < 1 ? validationSize : validationSize / trainFrame.count();
        if (fraction >= 1) {
            throw new InvalidInputException("training.validation-size holds out " + (long) validationSize
                    + " images, leaving no training data: " + trainPath + " holds " + trainFrame.count() + " rows");
        }
        FrameBlocks.Split train = packed(trainPath, () -> FrameBlocks.pack(trainFrame, ParquetImages.pixelColumn(trainFrame),
                ParquetImages.LABEL, null, fraction, seed));
        try {
            FrameBlocks.Split test = packed(testPath, () -> FrameBlocks.pack(testFrame, ParquetImages.pixelColumn(testFrame),
                    ParquetImages.LABEL, null, 0, seed));
            return of(sc, train.train(), train.validation(), test.train(), configuredClasses, trainPath.toString());
        } catch (RuntimeException e) {
            train.train().close();
            if (train.validation() != null) {
                train.validation().close();
            }
            throw e;
        }
    }

    /** Packs a Parquet dataset; a bad row found by a task becomes a one-line error naming the dataset. */
    private static FrameBlocks.Split packed(Path path, java.util.function.Supplier<FrameBlocks.Split> pack) {
        try {
            return pack.get();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException bad && !(cause instanceof NumberFormatException)) {
                    throw new InvalidInputException(path + ": " + bad.getMessage(), e);
                }
            }
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
