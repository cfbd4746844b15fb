package io.mnistspark.train;

import io.mnistspark.data.LabeledImages;
import io.mnistspark.data.MiniBatches;
import io.mnistspark.data.MnistDataset;
import org.apache.spark.api.java.JavaSparkContext;

/** The training, validation (optional) and test images, distributed and cached on the executors. */
public record TrainingData(MiniBatches train, MiniBatches validation, MiniBatches test, int pixelsPerImage)
        implements AutoCloseable {

    public static TrainingData distribute(JavaSparkContext sc, MnistDataset.TrainValidation split,
                                          LabeledImages testImages, int partitions) {
        MiniBatches train = MiniBatches.distribute(sc, split.train(), partitions);
        MiniBatches validation = split.validation() == null ? null
                : MiniBatches.distribute(sc, split.validation(), partitions);
        MiniBatches test = MiniBatches.distribute(sc, testImages, partitions);
        return new TrainingData(train, validation, test, testImages.pixelsPerImage());
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
