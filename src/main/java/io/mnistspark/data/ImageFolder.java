package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A directory (any Hadoop URI, searched recursively) of image files: listed on the driver, read and decoded by
 * {@link ImageDecoder} on the executors, one {@link Decoded} per file: its path and its pixels, or why it is not
 * a usable image. Every file under the directory gets a row:
 * empty files, FIFOs, devices, broken links and files too large are rejected with their reason unread, and
 * names of any kind (colons, spaces, {@code %}, {@code #}, unicode) are read like any other.
 */
public final class ImageFolder {
    /** Files larger than this are rejected unread (a digit image is a few KB; this guards executor memory). */
    public static final long MAX_FILE_BYTES = 64L << 20;
    /**
     * Files a task decodes at most: every task costs its start, its slice of the listing and an output file to
     * open and commit, so tasks are few; progress still moves with every batch (a heartbeat count).
     */
    private static final int FILES_PER_TASK = 10_000;
    /** The largest file {@link #warmUp} decodes: a digit image, not a photograph. */
    private static final long WARM_UP_MAX_BYTES = 64 << 10;
    /** How long {@link #warmUp} decodes at most: well within Spark's start. */
    private static final long WARM_UP_MAX_NANOS = 100_000_000L;

    private ImageFolder() {
    }

    /**
     * One file under the directory: its {@code path} as reported, its {@code location} (a URI the executors
     * read), and why it is rejected without reading ({@code null}: to be decoded).
     */
    public record Entry(String path, String location, String rejection) implements java.io.Serializable {
    }

    /**
     * Lists every file under {@code directory}, refusing (one line, exit 2) a directory that is missing, empty
     * or holds nothing that could be an image.
     */
    public static List<Entry> check(Path directory, Configuration hadoop) {
        List<Entry> entries;
        try {
            FileSystem fs = directory.getFileSystem(hadoop);
            if (!fs.exists(directory)) {
                throw new InvalidInputException(directory + ": input not found (expected an IDX images file or a"
                        + " directory of images)");
            }
            entries = "file".equals(fs.getScheme()) ? listLocal(java.nio.file.Path.of(fs.makeQualified(directory).toUri()))
                    : listHadoop(fs, directory);
        } catch (IOException e) {
            throw new InvalidInputException(directory + ": cannot list (" + e.getMessage() + ")", e);
        }
        if (entries.isEmpty()) {
            throw new InvalidInputException(directory + ": the directory holds no files to score");
        }
        if (entries.stream().allMatch(e -> e.rejection() != null)) {
            Entry first = entries.get(0);
            throw new InvalidInputException(directory + ": holds no file that can be scored (" + entries.size()
                    + " file" + (entries.size() == 1 ? "" : "s") + ", e.g. " + first.path() + ": " + first.rejection() + ")");
        }
        return entries;
    }

    private static List<Entry> listLocal(java.nio.file.Path root) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(java.nio.file.Path file, BasicFileAttributes link) {
                entries.add(localEntry(file, link));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(java.nio.file.Path file, IOException e) {
                entries.add(new Entry("file:" + file.toAbsolutePath(), file.toUri().toString(), "cannot read ("
                        + e.getClass().getSimpleName() + ")"));
                return FileVisitResult.CONTINUE;
            }
        });
        entries.sort(java.util.Comparator.comparing(Entry::path));
        return entries;
    }

    private static Entry localEntry(java.nio.file.Path file, BasicFileAttributes link) {
        String path = "file:" + file.toAbsolutePath();
        String location = file.toUri().toString();
        BasicFileAttributes target = link;
        if (link.isSymbolicLink()) {
            try {
                target = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException e) {
                return new Entry(path, location, "broken symbolic link");
            }
            if (target.isDirectory()) {
                return new Entry(path, location, "symbolic link to a directory, not followed");
            }
        }
        if (!target.isRegularFile()) {
            return new Entry(path, location, "not a regular file (a FIFO, socket or device)");
        }
        return sized(path, location, target.size());
    }

    private static Entry sized(String path, String location, long bytes) {
        if (bytes == 0) {
            return new Entry(path, location, "empty file (0 bytes)");
        }
        if (bytes > MAX_FILE_BYTES) {
            return new Entry(path, location, "file of " + bytes + " bytes is larger than the " + MAX_FILE_BYTES
                    + " bytes an image may have");
        }
        return new Entry(path, location, null);
    }

    private static List<Entry> listHadoop(FileSystem fs, Path directory) throws IOException {
        List<Entry> entries = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(directory, true);
        while (files.hasNext()) {
            LocatedFileStatus file = files.next();
            String path = file.getPath().toString();
            entries.add(file.isFile() ? sized(path, file.getPath().toUri().toString(), file.getLen())
                    : new Entry(path, file.getPath().toUri().toString(), "not a regular file"));
        }
        entries.sort(java.util.Comparator.comparing(Entry::path));
        return entries;
    }

    /**
     * Decodes the first file of {@code entries} that is not rejected a few hundred times (for at most about 0.1
     * s) and drops the result: on a spare core of the driver (in local mode, the executors' JVM), what the first
     * task would otherwise run cold. Only a file of this machine of at most 64 KB that is a PNG of
     * {@code side x side} pixels (the usual digit file; its header says so), so that one decode takes well under
     * a millisecond; any other first file gets no warm-up.
     */
    public static void warmUp(List<Entry> entries, int side, boolean invert) {
        for (Entry entry : entries) {
            if (entry.rejection() == null) {
                if (!entry.location().startsWith("file:")) {
                    return;
                }
                byte[] bytes;
                try {
                    java.nio.file.Path file = java.nio.file.Path.of(URI.create(entry.location()));
                    if (Files.size(file) > WARM_UP_MAX_BYTES) {
                        return;
                    }
                    bytes = Files.readAllBytes(file);
                } catch (IOException | RuntimeException e) {
                    return; // the task meets it and says what is wrong
                }
                if (!GreyPng.isPngOfSize(bytes, side, side)) {
                    return;
                }
                long end = System.nanoTime() + WARM_UP_MAX_NANOS;
                for (int i = 0; i < 300 && System.nanoTime() < end; i++) {
                    ImageDecoder.decode(bytes, side, side, invert);
                }
                return;
            }
        }
    }

    /** A file decoded by an executor: its inputs (grey levels in [0, 1], row by row), or why it is not a usable image. */
    public record Decoded(String path, float[] pixels, String error) implements java.io.Serializable {
    }

    /**
     * Every listed file, read and decoded into {@code rows x columns} inputs by the executors in path order,
     * at most {@value #FILES_PER_TASK} files a task and whole waves of tasks (a multiple of the cores); rejected
     * entries keep their reason and are not read. Each task's slice of the listing travels as one
     * {@link EntryBlock} (arrays of strings, not one object per file: the tasks are serialised and read faster).
     */
    public static JavaRDD<Decoded> decode(JavaSparkContext sc, List<Entry> entries, Configuration hadoop, int rows,
                                          int columns, boolean invert) {
        int cores = Math.max(1, sc.defaultParallelism());
        int waves = Math.max(1, (entries.size() + FILES_PER_TASK * cores - 1) / (FILES_PER_TASK * cores));
        int slices = Math.max(1, Math.min(entries.size(), waves * cores)); // every core busy to the last wave
        List<EntryBlock> blocks = new ArrayList<>(slices);
        for (int s = 0; s < slices; s++) {
            int from = (int) ((long) s * entries.size() / slices); // as Spark's parallelize slices a list
            int to = (int) ((long) (s + 1) * entries.size() / slices);
            blocks.add(new EntryBlock(entries.subList(from, to)));
        }
        // the Hadoop settings once an executor, not with every task; local files need none
        boolean local = entries.stream().allMatch(e -> e.location().startsWith("file:"));
        Broadcast<SerializableConfiguration> settings = local ? null : sc.broadcast(new SerializableConfiguration(hadoop));
        return sc.parallelize(blocks, slices).mapPartitions(new Decode(rows, columns, invert, settings));
    }

    /**
     * A run of listed files as a task carries it: each path and location as a suffix of the run's common prefix,
     * and the rejections (null when none).
     */
    static final class EntryBlock implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String pathPrefix;
        private final String[] pathSuffixes;
        private final String locationPrefix;
        private final String[] locationSuffixes;
        private final String[] rejections;

        EntryBlock(List<Entry> entries) {
            pathPrefix = commonPrefix(entries, Entry::path);
            locationPrefix = commonPrefix(entries, Entry::location);
            pathSuffixes = new String[entries.size()];
            locationSuffixes = new String[entries.size()];
            String[] reasons = new String[entries.size()];
            boolean anyRejected = false;
            for (int i = 0; i < entries.size(); i++) {
                Entry entry = entries.get(i);
                pathSuffixes[i] = entry.path().substring(pathPrefix.length());
                locationSuffixes[i] = entry.location().substring(locationPrefix.length());
                reasons[i] = entry.rejection();
                anyRejected |= reasons[i] != null;
            }
            rejections = anyRejected ? reasons : null;
        }

        int size() {
            return pathSuffixes.length;
        }

        Entry get(int i) {
            return new Entry(pathPrefix + pathSuffixes[i], locationPrefix + locationSuffixes[i],
                    rejections == null ? null : rejections[i]);
        }

        private static String commonPrefix(List<Entry> entries, java.util.function.Function<Entry, String> field) {
            if (entries.isEmpty()) {
                return "";
            }
            String prefix = field.apply(entries.get(0));
            for (Entry entry : entries) {
                String value = field.apply(entry);
                int n = 0;
                int max = Math.min(prefix.length(), value.length());
                while (n < max && prefix.charAt(n) == value.charAt(n)) {
                    n++;
                }
                if (n < prefix.length()) {
                    prefix = prefix.substring(0, n); // Java serialisation keeps a lone surrogate at a cut as it is
                }
            }
            return prefix;
        }
    }

    private static final class Decode implements FlatMapFunction<Iterator<EntryBlock>, Decoded> {
        private static final long serialVersionUID = 1L;
        private final int rows;
        private final int columns;
        private final boolean invert;
        /** Null when every file is local. */
        private final Broadcast<SerializableConfiguration> hadoop;

        Decode(int rows, int columns, boolean invert, Broadcast<SerializableConfiguration> hadoop) {
            this.rows = rows;
            this.columns = columns;
            this.invert = invert;
            this.hadoop = hadoop;
        }

        @Override
        public Iterator<Decoded> call(Iterator<EntryBlock> blocks) {
            return new Iterator<>() {
                private EntryBlock block;
                private int next;

                @Override
                public boolean hasNext() {
                    while ((block == null || next == block.size()) && blocks.hasNext()) {
                        block = blocks.next();
                        next = 0;
                    }
                    return block != null && next < block.size();
                }

                @Override
                public Decoded next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    Entry file = block.get(next++);
                    if (file.rejection() != null) {
                        return new Decoded(file.path(), null, file.rejection());
                    }
                    byte[] bytes;
                    try {
                        bytes = read(file.location());
                    } catch (IOException | RuntimeException e) {
                        return new Decoded(file.path(), null, "cannot read ("
                                + io.mnistspark.store.StorageProblem.cause(e) + ")");
                    }
                    ImageDecoder.Decoded image = ImageDecoder.decode(bytes, rows, columns, invert);
                    return new Decoded(file.path(), image.pixels(), image.error());
                }
            };
        }

        /**
         * The file's bytes, at most {@link #MAX_FILE_BYTES} + 1 (a file that grew past the limit since it was listed
         * is cut there, and fails to decode); a local file of the size it has is read into one array of that size.
         */
        private byte[] read(String location) throws IOException {
            URI uri = URI.create(location);
            if ("file".equals(uri.getScheme())) {
                try (java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(java.nio.file.Path.of(uri))) {
                    long size = channel.size();
                    if (size <= MAX_FILE_BYTES) {
                        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) size);
                        while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                            // until the array is full or the file ends (it shrank since)
                        }
                        if (channel.read(java.nio.ByteBuffer.allocate(1)) < 0) { // nothing more: the whole file
                            return buffer.hasRemaining() ? java.util.Arrays.copyOf(buffer.array(), buffer.position())
                                    : buffer.array();
                        }
                    }
                }
                try (InputStream in = Files.newInputStream(java.nio.file.Path.of(uri))) { // it grows: read as a stream
                    return in.readNBytes((int) MAX_FILE_BYTES + 1);
                }
            }
            Path path = new Path(uri);
            try (InputStream in = path.getFileSystem(hadoop.value().value()).open(path)) {
                return in.readNBytes((int) MAX_FILE_BYTES + 1);
            }
        }
    }
}
