package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.Serializable;

/**
 * An images file and its labels file (or images alone, for scoring), both headers read and checked against
 * each other on the driver. The pixels and labels stay in the files until executors read them.
 */
public record IdxPair(IdxHeader images, IdxHeader labels) implements Serializable {

    public static IdxPair read(Path imagesPath, Path labelsPath, Configuration hadoop) {
        IdxHeader images = IdxHeader.images(imagesPath, hadoop);
        IdxHeader labels = labelsPath == null ? null : IdxHeader.labels(labelsPath, hadoop);
        if (labels != null && labels.count() != images.count()) {
            throw new InvalidInputException(labelsPath + ": holds " + labels.count() + " labels but "
                    + imagesPath + " holds " + images.count() + " images");
        }
        return new IdxPair(images, labels);
    }

    public int count() {
        return images.count();
    }

    public int rows() {
        return images.rows();
    }

    public int columns() {
        return images.columns();
    }

    public int pixelsPerImage() {
        return images.itemBytes();
    }

    public boolean labelled() {
        return labels != null;
    }

    /** Either file is gzip: the pair is read from its start (inflated or streamed) instead of in byte ranges. */
    public boolean gzip() {
        return images.gzip() || (labels != null && labels.gzip());
    }

    /** Raw bytes of the images file (for planning and reporting). */
    public long imageBytes() {
        return (long) images.count() * images.itemBytes();
    }
}
