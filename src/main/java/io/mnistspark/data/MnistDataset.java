package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** A training and a test set read from an MNIST-format directory and checked against each other. */
public record MnistDataset(LabeledImages train, LabeledImages test, MnistFiles files) {

    public static MnistDataset load(Path directory, Configuration hadoop) {
        MnistFiles files = MnistFiles.in(directory, hadoop);
        LabeledImages train = pair(files.trainImages(), files.trainLabels(), hadoop);
        LabeledImages test = pair(files.testImages(), files.testLabels(), hadoop);
        if (train.rows() != test.rows() || train.columns() != test.columns()) {
            throw new InvalidInputException(files.testImages() + ": images are " + test.rows() + "x" + test.columns()
                    + " but the training images in " + files.trainImages() + " are " + train.rows() + "x"
                    + train.columns());
        }
        return new MnistDataset(train, test, files);
    }

    /** Test images and labels only (for {@code evaluate}). */
    public static LabeledImages loadTest(Path directory, Configuration hadoop) {
        MnistFiles files = MnistFiles.in(directory, hadoop);
        return pair(files.testImages(), files.testLabels(), hadoop);
    }

    /** Reads an images file and its labels file and checks that they hold the same number of items. */
    public static LabeledImages pair(Path imagesPath, Path labelsPath, Configuration hadoop) {
        IdxFile.Images images = IdxFile.readImages(imagesPath, hadoop);
        byte[] labels = IdxFile.readLabels(labelsPath, hadoop);
        if (labels.length != images.count()) {
            throw new InvalidInputException(labelsPath + ": holds " + labels.length + " labels but "
                    + imagesPath + " holds " + images.count() + " images");
        }
        return new LabeledImages(images.rows(), images.columns(), images.pixels(), labels);
    }

    /**
     * Holds out the last {@code validationSize} training images for validation, as Nielsen's loader does
     * (50000 training, 10000 validation).
     */
    public TrainValidation split(int validationSize) {
        if (validationSize >= train.count()) {
            throw new InvalidInputException("training.validation-size holds out " + validationSize + " images, leaving no training data: "
                    + files.trainImages() + " holds " + train.count() + " images");
        }
        int cut = train.count() - validationSize;
        LabeledImages validation = validationSize == 0 ? null : train.slice(cut, train.count());
        LabeledImages fit = validationSize == 0 ? train : train.slice(0, cut);
        return new TrainValidation(fit, validation);
    }

    /** The images to fit and the held-out validation images ({@code null} when none are held out). */
    public record TrainValidation(LabeledImages train, LabeledImages validation) {
    }
}
