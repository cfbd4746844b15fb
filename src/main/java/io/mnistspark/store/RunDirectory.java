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
import java.util.function.Consumer;

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
    private final java.util.Set<Path> published = new java.util.LinkedHashSet<>();
    private final RunLock lock;

    private RunDirectory(FileSystem fs, Path root, boolean created, RunLock lock) {
        this.fs = fs;
        this.root = root;
        this.staging = new Path(root, STAGING);
        this.created = created;
        this.lock = lock;
    }

    /**
     * Checks that {@code out} can be written and claims it: takes its {@link RunLock} (a run that holds it is
     * named and refused), refuses an existing directory unless {@code overwrite}, and creates the staging
     * directory, so that an unwritable location fails before any work is done.
     *
     * @param warnings told when the lock of a run that died is taken over
     */
    public static RunDirectory open(Path out, Configuration hadoop, boolean overwrite, Consumer<String> warnings) {
        try {
            FileSystem fs = out.getFileSystem(hadoop);
            fs.setWriteChecksum(false);
            Path qualified = fs.makeQualified(out);
            boolean exists = fs.exists(qualified);
            if (exists && !fs.getFileStatus(qualified).isDirectory()) {
                throw new OutputExistsException(out + ": exists and is a file; choose another --out");
            }
            if (!exists) {
                makeDirectory(fs, qualified, out);
            }
            RunLock lock = RunLock.acquire(fs, qualified, warnings);
            RunDirectory directory = new RunDirectory(fs, qualified, !exists, lock);
            try {
                if (exists && !overwrite) {
                    throw new OutputExistsException(out + ": output directory exists already; use --overwrite to replace it or choose another --out");
                }
                if (fs.exists(directory.staging)) {
                    fs.delete(directory.staging, true);
                }
                makeDirectory(fs, directory.staging, out);
            } catch (IOException | RuntimeException e) {
                directory.abort();
                throw e;
            }
            return directory;
        } catch (IOException e) {
            throw new UserException(out + ": cannot use as output directory (" + StorageProblem.cause(e) + ")", e);
        }
    }

    /** {@link #open(Path, Configuration, boolean, Consumer)} with warnings on standard error. */
    public static RunDirectory open(Path out, Configuration hadoop, boolean overwrite) {
        return open(out, hadoop, overwrite, System.err::println);
    }

    private static void makeDirectory(FileSystem fs, Path directory, Path out) {
        String problem;
        try {
            if (fs.mkdirs(directory)) {
                return;
            }
            problem = "file".equals(fs.getScheme())
                    ? StorageProblem.whyNoLocalDirectory(java.nio.file.Path.of(directory.toUri())) : null;
        } catch (IOException e) {
            problem = StorageProblem.cause(e);
        }
        throw new OutputExistsException(out + ": cannot create the output directory ("
                + (problem == null ? "the file system refused to create " + directory : problem) + ")");
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
        Path file = new Path(root, name);
        OutputStream out;
        try {
            out = fs.create(new Path(staging, name), true);
        } catch (IOException | org.apache.hadoop.fs.FSError e) {
            throw writeFailed(file, e);
        }
        // a full disk surfaces on write or close, as Hadoop's FSError: named with the file it was for
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    out.write(b, off, len);
                } catch (IOException | org.apache.hadoop.fs.FSError e) {
                    throw writeFailed(file, e);
                }
            }

            @Override
            public void write(int b) throws IOException {
                try {
                    out.write(b);
                } catch (IOException | org.apache.hadoop.fs.FSError e) {
                    throw writeFailed(file, e);
                }
            }

            @Override
            public void flush() throws IOException {
                try {
                    out.flush();
                } catch (IOException | org.apache.hadoop.fs.FSError e) {
                    throw writeFailed(file, e);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                } catch (IOException | org.apache.hadoop.fs.FSError e) {
                    throw writeFailed(file, e);
                }
            }
        };
    }

    public void writeText(String name, String text) {
        try (OutputStream out = create(name)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw writeFailed(new Path(root, name), e);
        }
    }

    /**
     * Writes {@code name} straight into the directory, now, replacing the old file in one step (written beside
     * it, then renamed over it): a reader sees the old content or the new, never half of it. For files that
     * are shown while the run goes on (the live report). Once the run is committed or aborted it writes
     * nothing: a late writer (the live report's thread) can neither replace the final files nor leave any behind.
     */
    public synchronized void publish(String name, byte[] content) {
        if (!lock.held()) {
            return;
        }
        Path target = new Path(root, name);
        published.add(target);
        Path temporary = new Path(staging, "publish-" + name.replace('/', '-'));
        try {
            try (OutputStream out = fs.create(temporary, true)) {
                out.write(content);
            }
            fs.mkdirs(target.getParent());
            replace(temporary, target);
        } catch (IOException | org.apache.hadoop.fs.FSError e) {
            throw writeFailed(target, e);
        }
    }

    /**
     * A run that does not complete leaves no partial output: what it published while running (the live report)
     * goes with it, and so do the directories that only held those files.
     */
    private void deletePublished() throws IOException {
        java.util.Set<Path> parents = new java.util.LinkedHashSet<>();
        for (Path file : published) {
            fs.delete(file, false);
            if (!file.getParent().equals(root)) {
                parents.add(file.getParent());
            }
        }
        for (Path parent : parents) {
            if (fs.exists(parent) && fs.listStatus(parent).length == 0) {
                fs.delete(parent, false);
            }
        }
        published.clear();
    }

    /**
     * Renames {@code from} to {@code target}; an existing file is replaced atomically where the file system can.
     * On the local file system an existing directory is replaced file by file (each file atomically, then the
     * old files the new directory lacks are deleted), so that a live report's charts never go missing under a
     * page that shows them while the final ones take their place.
     */
    private void replace(Path from, Path target) throws IOException {
        if ("file".equals(fs.getUri().getScheme())) {
            boolean directory = fs.getFileStatus(from).isDirectory();
            if (!directory) {
                java.nio.file.Files.move(java.nio.file.Path.of(from.toUri()), java.nio.file.Path.of(target.toUri()),
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            if (fs.exists(target) && fs.getFileStatus(target).isDirectory()) {
                java.util.Set<String> names = new java.util.HashSet<>();
                for (FileStatus child : fs.listStatus(from)) {
                    names.add(child.getPath().getName());
                    replace(child.getPath(), new Path(target, child.getPath().getName()));
                }
                for (FileStatus old : fs.listStatus(target)) {
                    if (!names.contains(old.getPath().getName())) {
                        fs.delete(old.getPath(), true);
                    }
                }
                fs.delete(from, false);
                return;
            }
        }
        if (fs.exists(target)) {
            fs.delete(target, true);
        }
        if (!fs.rename(from, target)) {
            throw new IOException("cannot move " + from + " to " + target);
        }
    }

    /** A write into this directory failed: one line naming the file and the cause (full disk, read-only). */
    public static RuntimeException writeFailed(Path file, Throwable e) {
        if (StorageProblem.isStorage(e)) {
            return new io.mnistspark.RunFailedException(file + ": cannot write (" + StorageProblem.cause(e) + "); "
                    + StorageProblem.advice(e));
        }
        return e instanceof IOException io ? new UncheckedIOException("cannot write " + file, io)
                : new io.mnistspark.RunFailedException(file + ": cannot write (" + StorageProblem.cause(e) + ")");
    }

    /** Moves the staged files into place, replacing old ones, and writes {@code _SUCCESS} last. */
    public synchronized void commit() {
        try {
            fs.delete(scratch(), true);
            fs.delete(new Path(root, SUCCESS), false);
            for (FileStatus file : fs.listStatus(staging)) {
                replace(file.getPath(), new Path(root, file.getPath().getName()));
            }
            fs.delete(staging, true);
            fs.create(new Path(root, SUCCESS), true).close();
            lock.release();
        } catch (IOException | org.apache.hadoop.fs.FSError e) {
            throw writeFailed(root, e);
        }
    }

    /** Removes the staged files, and the directory itself when this run created it and it is now empty. */
    public synchronized void abort() {
        if (!lock.held()) {
            return; // committed, or aborted already
        }
        try {
            fs.delete(staging, true);
            deletePublished();
            lock.release();
            if (created && fs.exists(root) && fs.listStatus(root).length == 0) {
                fs.delete(root, false);
            }
        } catch (IOException e) {
            lock.release();
            throw new UncheckedIOException("cannot clean up " + staging, e);
        }
    }
}
