package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
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
            List<Path> found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String name : STANDARD_NAMES) {
                Path path = find(fs, directory, name);
                found.add(path);
                if (path == null) {
                    missing.add(name + ".gz");
                }
            }
            if (missing.size() == STANDARD_NAMES.size()) {
                throw new InvalidInputException(directory + ": holds none of the four MNIST-format files "
                        + String.join(", ", STANDARD_NAMES) + " (.gz or raw)");
            }
            if (!missing.isEmpty()) {
                throw new InvalidInputException(directory + ": missing " + String.join(" and ", missing)
                        + " (or raw); an MNIST-format directory holds " + String.join(", ", STANDARD_NAMES));
            }
            return new MnistFiles(found.get(0), found.get(1), found.get(2), found.get(3));
        } catch (IOException e) {
            throw new InvalidInputException(directory + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    /** The file of {@code name} in one of its accepted spellings, or null. */
    private static Path find(FileSystem fs, Path directory, String name) throws IOException {
        String lecunName = name.replaceFirst("-idx", ".idx");
        for (String candidate : List.of(name + ".gz", name, lecunName, lecunName + ".gz")) {
            Path path = new Path(directory, candidate);
            if (fs.exists(path)) {
                return path;
            }
        }
        return null;
    }

    public List<Path> all() {
        return List.of(trainImages, trainLabels, testImages, testLabels);
    }
}
