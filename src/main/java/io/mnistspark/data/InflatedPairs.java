package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.lang.ref.SoftReference;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Gzip IDX pairs decompressed once per executor JVM, for the blocks of a small pair: a gzip stream cannot be read
 * in ranges, so the first task of this JVM that needs a block inflates the whole pair (checked as
 * {@link IdxReads#streamedBlocks} checks it) while the others wait for it, and every block is then a copy of its
 * range. No shuffle carries the images between executors, and in local mode (one JVM) the pair is decompressed
 * once. Only pairs of at most {@link #limit} decompressed bytes (128 MiB, or an eighth of the driver's heap if
 * that is less: MNIST's training pair is 47 MB) are read this way; larger ones are streamed by one task and
 * shuffled. A pair is dropped once all its blocks were copied in this JVM, and held
 * softly until then: an executor of a cluster copies only some of them, so it keeps the pair until the collector
 * needs the memory (a block needed after that inflates the pair again).
 */
final class InflatedPairs {
    private static final int MAX_PAIRS = 4;
    private static final Map<String, Entry> PAIRS = new LinkedHashMap<>();
    /** 128 MiB; tests lower it to take the streamed path. */
    static volatile long maxBytes = 128L << 20;

    private InflatedPairs() {
    }

    /** The most decompressed bytes an executor holds for one pair: 128 MiB, or an eighth of this JVM's heap. */
    static long limit() {
        return Math.min(maxBytes, Runtime.getRuntime().maxMemory() / 8);
    }

    /** Whether this JVM holds the pair with this {@link #key} (tests). */
    static boolean holds(String key) {
        synchronized (PAIRS) {
            return PAIRS.containsKey(key);
        }
    }

    /** Whether the pair is small enough to be decompressed whole by each executor. */
    static boolean fits(IdxPair pair) {
        return pair.imageBytes() + pair.count() <= limit();
    }

    /**
     * Block {@code number} of the pair, the images {@code [first, first + count)}; {@code key} is the pair's
     * {@link #key} as the driver found it, {@code blocks} how many blocks the pair has in all (its bodies are
     * dropped once this JVM copied every one).
     */
    static LabeledImages block(IdxPair pair, String key, int number, long first, int count, int blocks,
                               Configuration hadoop) {
        Bodies bodies = bodies(pair, key, hadoop);
        int pixelsPerImage = pair.pixelsPerImage();
        byte[] pixels = new byte[Math.multiplyExact(count, pixelsPerImage)];
        System.arraycopy(bodies.images, Math.toIntExact(first * pixelsPerImage), pixels, 0, pixels.length);
        byte[] labels = new byte[count];
        if (bodies.labels != null) {
            System.arraycopy(bodies.labels, (int) first, labels, 0, count);
        }
        taken(bodies, number, blocks);
        return new LabeledImages(pair.rows(), pair.columns(), pixels, labels);
    }

    private static Bodies bodies(IdxPair pair, String key, Configuration hadoop) {
        while (true) {
            Entry entry;
            boolean load = false;
            synchronized (PAIRS) {
                entry = PAIRS.get(key);
                if (entry == null || entry.cleared()) {
                    entry = new Entry(key);
                    PAIRS.put(key, entry);
                    evictBeyondLimit();
                    load = true;
                }
            }
            if (load) {
                try {
                    Bodies bodies = inflate(pair, hadoop, key);
                    entry.complete(bodies);
                    return bodies;
                } catch (RuntimeException | Error e) {
                    forget(entry);
                    entry.fail(e);
                    throw e;
                }
            }
            Bodies bodies = entry.await();
            if (bodies != null) {
                return bodies;
            }
            // the collector reclaimed them between two blocks: inflate again
        }
    }

    private static void taken(Bodies bodies, int number, int blocks) {
        synchronized (bodies) {
            bodies.taken.set(number);
            if (bodies.taken.cardinality() < blocks) {
                return;
            }
        }
        synchronized (PAIRS) {
            Entry entry = PAIRS.get(bodies.key);
            if (entry != null && entry.holds(bodies)) {
                PAIRS.remove(bodies.key);
            }
        }
    }

    private static void forget(Entry entry) {
        synchronized (PAIRS) {
            PAIRS.remove(entry.key, entry);
        }
    }

    private static void evictBeyondLimit() {
        Iterator<String> oldest = PAIRS.keySet().iterator();
        while (PAIRS.size() > MAX_PAIRS && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * The pair's paths with each file's length and modification time, read on the driver when it plans the
     * blocks (so the tasks make no metadata call): a file replaced since is inflated anew.
     */
    static String key(IdxPair pair, Configuration hadoop) {
        StringBuilder key = new StringBuilder();
        for (IdxHeader file : pair.labelled() ? new IdxHeader[]{pair.images(), pair.labels()}
                : new IdxHeader[]{pair.images()}) {
            Path path = new Path(file.path());
            try {
                FileStatus status = path.getFileSystem(hadoop).getFileStatus(path);
                key.append(file.path()).append('|').append(status.getLen()).append('|')
                        .append(status.getModificationTime()).append('|');
            } catch (IOException e) {
                throw IdxHeader.unreadable(path, e);
            }
        }
        return key.toString();
    }

    private static Bodies inflate(IdxPair pair, Configuration hadoop, String key) {
        byte[] images = new byte[Math.toIntExact(pair.imageBytes())];
        byte[] labels = pair.labelled() ? new byte[pair.count()] : null;
        IdxReads.readWhole(pair, images, labels, hadoop);
        return new Bodies(key, images, labels);
    }

    /** A pair's decompressed images and labels (null when it has none), and the blocks copied from them. */
    private static final class Bodies {
        final String key;
        final byte[] images;
        final byte[] labels;
        final BitSet taken = new BitSet();

        Bodies(String key, byte[] images, byte[] labels) {
            this.key = key;
            this.images = images;
            this.labels = labels;
        }
    }

    /** One pair: being inflated by a task, then held softly. */
    private static final class Entry {
        final String key;
        private final CompletableFuture<SoftReference<Bodies>> loaded = new CompletableFuture<>();

        Entry(String key) {
            this.key = key;
        }

        void complete(Bodies bodies) {
            loaded.complete(new SoftReference<>(bodies));
        }

        void fail(Throwable e) {
            loaded.completeExceptionally(e);
        }

        boolean cleared() {
            return loaded.isDone() && !loaded.isCompletedExceptionally() && loaded.getNow(null).get() == null;
        }

        boolean holds(Bodies bodies) {
            return loaded.isDone() && !loaded.isCompletedExceptionally() && loaded.getNow(null).get() == bodies;
        }

        /** The bodies once inflated, null if the collector reclaimed them; the loading task's failure if it failed. */
        Bodies await() {
            try {
                return loaded.join().get();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof InvalidInputException invalid) {
                    throw new InvalidInputException(invalid.getMessage(), invalid);
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }
    }
}
