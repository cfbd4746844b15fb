package io.mnistspark.bench;

import io.mnistspark.config.RunConfig;
import io.mnistspark.data.EpochPlan;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.data.LocalImages;
import io.mnistspark.data.MnistDataset;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/**
 * MNIST read whole into the benchmark's JVM for the single-process candidates (the product never does this):
 * the images to fit (the validation images held out as {@code train} does) and the test images.
 */
record LocalMnist(LabeledImages train, LabeledImages test, int classes) {

    static LocalMnist read(Path directory, RunConfig config, Configuration hadoop) {
        MnistDataset dataset = MnistDataset.open(directory, hadoop);
        int fit = dataset.fitCount(config.training().validationCount(dataset.train().count()));
        LabeledImages train = LocalImages.read(dataset.train(), 0, fit, hadoop);
        LabeledImages test = LocalImages.read(dataset.test(), hadoop);
        int classes = config.network().classes() > 0 ? config.network().classes() : Math.max(train.maxLabel() + 1, 2);
        return new LocalMnist(train, test, classes);
    }

    /** The mini-batches one Spark worker fits in {@code epoch} (the product's own plan, on one worker). */
    static List<DataSet> epochBatches(LabeledImages images, RunConfig config, int epoch, int classes) {
        return EpochPlan.oneWorker(images, config.training().seed(), epoch, config.training().batchSize(),
                config.spark().averagingFrequency(), config.training().shuffleWindow(), classes);
    }
}
