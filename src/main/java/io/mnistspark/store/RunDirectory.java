package io.mnistspark.store;

import io.mnistspark.UserException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * An output directory on any Hadoop file system, filled the way Spark's committers do: files are written
 * under {@code OUT/_temporary/}, moved into {@code OUT} when everything is written, and {@code _SUCCESS} comes
 * last. A failed run leaves no final outputs; a directory that existed is only replaced with
 * {@code --overwrite}, and its old files stay until the new ones are complete.
 */
public final class RunDirectory {
    public static final String SUCCESS = "_SUCCESS";
    static final String STAGING = "_temporary";

    private final FileSystem fs;
    private final Path root;
    private final Path staging;
    private final boolean created;

    private RunDirectory(FileSystem fs, Path root, boolean created) {
        this.fs = fs;
        this.root = root;
        this.staging = new Path(root, STAGING);
        this.created = created;
    }

    /**
     * Checks that {@code out} can be written and claims it: refuses an existing directory unless
     * {@code overwrite}, and creates the staging directory, so that an unwritable location fails before any
     * work is done.
     */
    public static RunDirectory open(Path out, Configuration hadoop, boolean overwrite) {
        try {
            FileSystem fs = out.getFileSystem(hadoop);
            fs.setWriteChecksum(false);
            Path qualified = fs.makeQualified(out);
            boolean exists = fs.exists(qualified);
            if (exists && !fs.getFileStatus(qualified).isDirectory()) {
                throw new OutputExistsException(out + ": exists and is a file; choose another --out");
            }
            if (exists && !overwrite) {
                throw new OutputExistsException(out + ": output directory exists already; use --overwrite to replace it or choose another --out");
            }
            RunDirectory directory = new RunDirectory(fs, qualified, !exists);
            try {
                if (fs.exists(directory.staging)) {
                    fs.delete(directory.staging, true);
                }
                if (!fs.mkdirs(directory.staging)) {
                    throw new IOException("mkdirs returned false");
                }
            } catch (IOException e) {
                throw new OutputExistsException(out + ": cannot create the output directory (" + e.getMessage() + ")");
            }
            return directory;
        } catch (IOException e) {
            throw new UserException(out + ": cannot use as output directory (" + e.getMessage() + ")", e);
        }
    }

    public Path root() {
        return root;
    }

    /** A directory for temporary files of this run, removed with the staging area. */
    public Path scratch() {
        return new Path(staging, "scratch");
    }

    /**
     * Where {@code name} is staged, for writers that create it themselves (Spark's DataFrame writer); it
     * appears in the directory at {@link #commit()}.
     */
    public Path staged(String name) {
        return new Path(staging, name);
    }

    /** Opens {@code name} for writing in the staging area; it appears in the directory at {@link #commit()}. */
    public OutputStream create(String name) throws IOException {
        return fs.create(new Path(staging, name), true);
    }

    public void writeText(String name, String text) {
        try (OutputStream out = create(name)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + new Path(root, name), e);
        }
    }

    /**
     * Writes {@code name} straight into the directory, now, replacing the old file in one step (written beside
     * it, then renamed over it): a reader sees the old content or the new, never half of it. For files that
     * are shown while the run goes on (the live report).
     */
    public void publish(String name, byte[] content) {
        Path target = new Path(root, name);
        Path temporary = new Path(staging, "publish-" + name.replace('/', '-'));
        try {
            try (OutputStream out = fs.create(temporary, true)) {
                out.write(content);
            }
            fs.mkdirs(target.getParent());
            replace(temporary, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Renames {@code from} to {@code target}; an existing file is replaced atomically where the file system can. */
    private void replace(Path from, Path target) throws IOException {
        if ("file".equals(fs.getUri().getScheme()) && !fs.getFileStatus(from).isDirectory()) {
            java.nio.file.Files.move(java.nio.file.Path.of(from.toUri()), java.nio.file.Path.of(target.toUri()),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        if (fs.exists(target)) {
            fs.delete(target, true);
        }
        if (!fs.rename(from, target)) {
            throw new IOException("cannot move " + from + " to " + target);
        }
    }

    /** Moves the staged files into place, replacing old ones, and writes {@code _SUCCESS} last. */
    public void commit() {
        try {
            fs.delete(scratch(), true);
            fs.delete(new Path(root, SUCCESS), false);
            for (FileStatus file : fs.listStatus(staging)) {
                replace(file.getPath(), new Path(root, file.getPath().getName()));
            }
            fs.delete(staging, true);
            fs.create(new Path(root, SUCCESS), true).close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot complete the output directory " + root, e);
        }
    }

    /** Removes the staged files, and the directory itself when this run created it and it is now empty. */
    public void abort() {
        try {
            fs.delete(staging, true);
            if (created && fs.exists(root) && fs.listStatus(root).length == 0) {
                fs.delete(root, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + staging, e);
        }
    }
}
