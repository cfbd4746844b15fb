package io.mnistspark.store;

import io.mnistspark.UserException;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The exclusive claim of one run on its directory: {@code OUT/_LOCK}, created with overwrite=false (atomic on
 * HDFS and local file systems), holding the host, the pid and the start time of the run. A second run is
 * refused naming the holder; a lock whose process is gone on this same host is taken over with a warning.
 * The claim ends with {@link #release()} when the run commits or fails.
 */
public final class RunLock {
    public static final String NAME = "_LOCK";

    private final FileSystem fs;
    private final Path file;
    private volatile boolean held;

    /** Who holds a lock, as its file says. */
    record Holder(String host, long pid, String started) {
        String describe() {
            return "the run of pid " + pid + " on " + host + " started " + started;
        }
    }

    private RunLock(FileSystem fs, Path file) {
        this.fs = fs;
        this.file = file;
        this.held = true;
    }

    /**
     * Claims {@code directory} (created if missing).
     *
     * @param warnings told when a dead run's lock is taken over
     */
    public static RunLock acquire(FileSystem fs, Path directory, Consumer<String> warnings) throws IOException {
        Path file = new Path(directory, NAME);
        for (int attempt = 0; attempt < 2; attempt++) {
            if (tryCreate(fs, file)) {
                return new RunLock(fs, file);
            }
            Optional<Holder> holder = read(fs, file);
            if (holder.isEmpty()) {
                // released between our attempt and the read: try once more
                continue;
            }
            Holder h = holder.get();
            if (h.pid() < 0) {
                // created an instant ago, its content not yet written
                sleepBriefly();
                h = read(fs, file).orElse(h);
            }
            if (h.host().equals(thisHost()) && !alive(h.pid())) {
                warnings.accept("warning: " + directory + ": taking over the lock of " + h.describe()
                        + ", which is no longer running");
                fs.delete(file, false);
                continue;
            }
            throw new UserException(directory + ": in use by " + h.describe() + " (" + file + "); wait for it to "
                    + "finish or choose another --out" + (h.host().equals(thisHost()) ? ""
                    : "; if that run is gone, delete " + file));
        }
        Holder h = read(fs, file).orElse(new Holder("?", -1, "?"));
        throw new UserException(directory + ": in use by " + h.describe() + " (" + file + "); choose another --out");
    }

    private static boolean tryCreate(FileSystem fs, Path file) throws IOException {
        Properties content = new Properties();
        content.setProperty("host", thisHost());
        content.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        content.setProperty("started", Instant.now().toString());
        if ("file".equals(fs.getScheme())) {
            // Hadoop's local create(overwrite=false) checks, then creates: not atomic; CREATE_NEW is
            java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(file).toUri());
            try (OutputStream out = java.nio.file.Files.newOutputStream(local, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                content.store(out, "mnist-spark run lock");
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (OutputStream out = fs.create(file, false)) {
            content.store(out, "mnist-spark run lock");
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            // the local file system says "File already exists" in a plain IOException
            if (fs.exists(file) && e.getMessage() != null && e.getMessage().contains("exists")) {
                return false;
            }
            throw e;
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Optional<Holder> read(FileSystem fs, Path file) throws IOException {
        Properties content = new Properties();
        try (InputStream in = fs.open(file)) {
            content.load(new java.io.InputStreamReader(in, StandardCharsets.ISO_8859_1));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(content.getProperty("pid", "-1"));
        } catch (NumberFormatException e) {
            pid = -1;
        }
        return Optional.of(new Holder(content.getProperty("host", "an unknown host"), pid,
                content.getProperty("started", "at an unknown time")));
    }

    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static String thisHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    public boolean held() {
        return held;
    }

    /** Ends the claim (idempotent; a lock that cannot be deleted is left for a later run to take over). */
    public synchronized void release() {
        if (!held) {
            return;
        }
        held = false;
        try {
            fs.delete(file, false);
        } catch (IOException | RuntimeException e) {
            // the next run on this host takes over a dead process's lock
        }
    }
}
