package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.List;

/**
 * The four files of an MNIST-format data set in one directory, found under their standard names, gzip
 * ({@code train-images-idx3-ubyte.gz}) or raw ({@code train-images-idx3-ubyte}, or LeCun's
 * {@code train-images.idx3-ubyte}).
 */
public record MnistFiles(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {

    public static final List<String> STANDARD_NAMES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    public static MnistFiles in(Path directory, Configuration hadoop) {
        try {
            FileSystem fs = directory.getFileSystem(hadoop);
            if (!fs.exists(directory)) {
                throw new InvalidInputException(directory + ": data directory not found");
            }
            if (!fs.getFileStatus(directory).isDirectory()) {
                throw new InvalidInputException(directory + ": is a file, expected a directory holding "
                        + String.join(", ", STANDARD_NAMES) + " (.gz or raw)");
            }
            return new MnistFiles(find(fs, directory, STANDARD_NAMES.get(0)), find(fs, directory, STANDARD_NAMES.get(1)),
                    find(fs, directory, STANDARD_NAMES.get(2)), find(fs, directory, STANDARD_NAMES.get(3)));
        } catch (IOException e) {
            throw new InvalidInputException(directory + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    private static Path find(FileSystem fs, Path directory, String name) throws IOException {
        String lecunName = name.replaceFirst("-idx", ".idx");
        for (String candidate : List.of(name + ".gz", name, lecunName, lecunName + ".gz")) {
            Path path = new Path(directory, candidate);
            if (fs.exists(path)) {
                return path;
            }
        }
        throw new InvalidInputException(directory + ": missing " + name + ".gz (or " + name
                + "); an MNIST-format directory holds " + String.join(", ", STANDARD_NAMES));
    }

    public List<Path> all() {
        return List.of(trainImages, trainLabels, testImages, testLabels);
    }
}
