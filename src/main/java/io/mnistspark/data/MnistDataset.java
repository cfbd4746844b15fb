package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The training and test files of an MNIST-format directory, as far as the driver reads them: the four headers
 * (and a raw file's length), checked against each other. The images stay in the files until executors read them.
 */
public record MnistDataset(IdxPair train, IdxPair test, MnistFiles files) {

    public static MnistDataset open(Path directory, Configuration hadoop) {
        MnistFiles files = MnistFiles.in(directory, hadoop);
        IdxPair train = IdxPair.read(files.trainImages(), files.trainLabels(), hadoop);
        IdxPair test = IdxPair.read(files.testImages(), files.testLabels(), hadoop);
        if (train.rows() != test.rows() || train.columns() != test.columns()) {
            throw new InvalidInputException(files.testImages() + ": images are " + test.rows() + "x" + test.columns()
                    + " but the training images in " + files.trainImages() + " are " + train.rows() + "x"
                    + train.columns());
        }
        return new MnistDataset(train, test, files);
    }

    /** The test files only (for {@code evaluate} and {@code report}). */
    public static IdxPair openTest(Path directory, Configuration hadoop) {
        MnistFiles files = MnistFiles.in(directory, hadoop);
        return IdxPair.read(files.testImages(), files.testLabels(), hadoop);
    }

    /**
     * The number of training images to fit when the last {@code validationSize} are held out, as Nielsen's
     * loader does (50000 training, 10000 validation).
     */
    public int fitCount(int validationSize) {
        if (validationSize >= train.count()) {
            throw new InvalidInputException("training.validation-size holds out " + validationSize + " images, leaving no training data: "
                    + files.trainImages() + " holds " + train.count() + " images");
        }
        return train.count() - validationSize;
    }
}
