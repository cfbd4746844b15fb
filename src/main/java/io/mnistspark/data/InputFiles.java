package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/** Opens an input file on any Hadoop file system, turning a missing file or a directory into a one-line error. */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * @param what the kind of file expected, for the messages ("an IDX file", "a model.zip file")
     */
    public static InputStream open(Path path, Configuration hadoop, String what) throws IOException {
        FileSystem fs = path.getFileSystem(hadoop);
        try {
            if (fs.getFileStatus(path).isDirectory()) {
                throw new InvalidInputException(path + ": is a directory, expected " + what);
            }
        } catch (FileNotFoundException e) {
            throw new InvalidInputException(path + ": file not found (expected " + what + ")", e);
        }
        try {
            return fs.open(path);
        } catch (IOException e) {
            // present but not openable, e.g. "Permission denied"
            throw new InvalidInputException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
