package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.Path;
import scala.Tuple2;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * What executors do with IDX files: read the block of images {@code [first, first + count)} of a raw file by
 * byte ranges (image i at 16 + i x rows x columns, label i at 8 + i), or stream a gzip pair from its start and
 * cut it into blocks. Every check that needs the bytes runs here and fails with the same one-line
 * {@link InvalidInputException} the driver-side checks give.
 */
final class IdxReads {
    private IdxReads() {
    }

    /** Images {@code [first, first + count)} of a raw pair (labels all 0 when the pair has none). */
    static LabeledImages rawBlock(IdxPair pair, long first, int count, Configuration hadoop) {
        byte[] pixels = new byte[Math.multiplyExact(count, pair.pixelsPerImage())];
        byte[] labels = new byte[count];
        read(pair.images(), pair.images().offsetOf(first), pixels, hadoop);
        if (pair.labelled()) {
            read(pair.labels(), pair.labels().offsetOf(first), labels, hadoop);
        }
        return new LabeledImages(pair.rows(), pair.columns(), pixels, labels);
    }

    /** Labels {@code [first, first + count)} of a raw labels file. */
    static byte[] rawLabels(IdxHeader labels, long first, int count, Configuration hadoop) {
        byte[] out = new byte[count];
        read(labels, labels.offsetOf(first), out, hadoop);
        return out;
    }

    private static void read(IdxHeader file, long position, byte[] into, Configuration hadoop) {
        Path path = new Path(file.path());
        try {
            TaskFiles.readFully(file.path(), position, into, hadoop);
        } catch (java.io.FileNotFoundException e) {
            throw missingHere(file.path(), e);
        } catch (EOFException e) {
            throw new InvalidInputException(path + ": truncated: the file ends before byte " + (position + into.length)
                    + " (it changed after its header was read, or the header's count is wrong)", e);
        } catch (IOException e) {
            throw IdxHeader.unreadable(path, e);
        } catch (FSError e) {
            throw IdxHeader.unreadable(path, e);
        }
    }

    /**
     * The blocks of a pair read from the start of both files (gzip, or raw when the other one is gzip): the
     * segments {@code [starts[s], ends[s])} cut into blocks of {@code blockImages}, numbered one after the other
     * over the segments. Ends with the checks a raw file gets from its length: nothing may follow the data the
     * header declares, and nothing may be missing.
     */
    static Iterator<Tuple2<Integer, LabeledImages>> streamedBlocks(IdxPair pair, long[] starts, long[] ends,
                                                                     int blockImages, Configuration hadoop) {
        requireHere(pair.images().path(), hadoop);
        if (pair.labelled()) {
            requireHere(pair.labels().path(), hadoop);
        }
        DataInputStream images = IdxHeader.open(new Path(pair.images().path()), hadoop);
        DataInputStream labels = pair.labelled() ? IdxHeader.open(new Path(pair.labels().path()), hadoop) : null;
        List<long[]> blocks = new ArrayList<>(); // {first image, count, block number}
        int number = 0;
        for (int s = 0; s < starts.length; s++) {
            for (long from = starts[s]; from < ends[s]; from += blockImages) {
                blocks.add(new long[]{from, Math.min(ends[s], from + blockImages) - from, number++});
            }
        }
        try {
            skip(images, pair.images(), pair.images().headerBytes());
            if (labels != null) {
                skip(labels, pair.labels(), pair.labels().headerBytes());
            }
        } catch (RuntimeException e) {
            closeQuietly(images, labels);
            throw e;
        }
        return new Iterator<>() {
            private int next;
            private long position; // the next image of both streams

            @Override
            public boolean hasNext() {
                if (next < blocks.size()) {
                    return true;
                }
                finish();
                return false;
            }

            @Override
            public Tuple2<Integer, LabeledImages> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                long[] block = blocks.get(next++);
                try {
                    skipItems(block[0]);
                    int count = (int) block[1];
                    byte[] pixels = new byte[count * pair.pixelsPerImage()];
                    byte[] labelBytes = new byte[count];
                    fill(images, pair.images(), pixels, block[0] * pair.pixelsPerImage());
                    if (labels != null) {
                        fill(labels, pair.labels(), labelBytes, block[0]);
                    }
                    position = block[0] + count;
                    return new Tuple2<>((int) block[2], new LabeledImages(pair.rows(), pair.columns(), pixels, labelBytes));
                } catch (RuntimeException e) {
                    closeQuietly(images, labels);
                    throw e;
                }
            }

            private void skipItems(long to) {
                if (to > position) {
                    skip(images, pair.images(), (to - position) * pair.pixelsPerImage());
                    if (labels != null) {
                        skip(labels, pair.labels(), to - position);
                    }
                    position = to;
                }
            }

            private boolean finished;

            private void finish() {
                if (finished) {
                    return;
                }
                finished = true;
                try {
                    skipItems(pair.count());
                    checkEnd(images, pair.images());
                    if (labels != null) {
                        checkEnd(labels, pair.labels());
                    }
                } finally {
                    closeQuietly(images, labels);
                }
            }
        };
    }

    /**
     * Both files of a pair whole, from their starts (gzip or raw): the images' body into {@code images}, the
     * labels' into {@code labels} (null when the pair has none), with the checks of {@link #streamedBlocks}:
     * nothing may be missing and nothing may follow.
     */
    static void readWhole(IdxPair pair, byte[] images, byte[] labels, Configuration hadoop) {
        readWhole(pair.images(), images, hadoop);
        if (labels != null) {
            readWhole(pair.labels(), labels, hadoop);
        }
    }

    private static void readWhole(IdxHeader file, byte[] body, Configuration hadoop) {
        requireHere(file.path(), hadoop);
        DataInputStream in = IdxHeader.open(new Path(file.path()), hadoop);
        try {
            skip(in, file, file.headerBytes());
            fill(in, file, body, 0);
            checkEnd(in, file);
        } finally {
            closeQuietly(in, null);
        }
    }

    /**
     * The driver read this file's header, so a file missing here means this executor does not see the driver's
     * file system (a local path on a cluster).
     */
    static InvalidInputException missingHere(String path, Exception cause) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "this executor";
        }
        return new InvalidInputException(path + ": not found on the executor on " + host + " (the driver read it):"
                + " every executor must reach the data; mount it at the same path on every node, or put it on"
                + " HDFS or S3", cause);
    }

    private static void requireHere(String path, Configuration hadoop) {
        try {
            Path p = new Path(path);
            if (!p.getFileSystem(hadoop).exists(p)) {
                throw missingHere(path, null);
            }
        } catch (IOException e) {
            throw IdxHeader.unreadable(new Path(path), e);
        }
    }

    private static void fill(DataInputStream in, IdxHeader file, byte[] into, long bodyOffset) {
        Path path = new Path(file.path());
        int read = 0;
        try {
            while (read < into.length) {
                int n = in.read(into, read, into.length - read);
                if (n < 0) {
                    throw truncated(file, bodyOffset + read);
                }
                read += n;
            }
        } catch (IOException e) {
            throw IdxHeader.unreadable(path, e);
        } catch (FSError e) {
            throw IdxHeader.unreadable(path, e);
        }
    }

    private static void skip(DataInputStream in, IdxHeader file, long bytes) {
        byte[] buffer = new byte[(int) Math.min(bytes, 1 << 16)];
        long left = bytes;
        while (left > 0) {
            byte[] chunk = left >= buffer.length ? buffer : new byte[(int) left];
            fill(in, file, chunk, -1);
            left -= chunk.length;
        }
    }

    private static InvalidInputException truncated(IdxHeader file, long bodyBytesRead) {
        long body = (long) file.count() * file.itemBytes();
        return new InvalidInputException(file.path() + ": truncated: the header declares " + file.describe() + " ("
                + body + " bytes) but " + (bodyBytesRead < 0 ? "fewer" : "only " + bodyBytesRead) + " bytes follow");
    }

    private static void checkEnd(DataInputStream in, IdxHeader file) {
        long extra = 0;
        try {
            while (in.read() >= 0) {
                extra++;
                if (extra > 1 << 20) {
                    break;
                }
            }
        } catch (IOException e) {
            throw IdxHeader.unreadable(new Path(file.path()), e);
        }
        if (extra > 0) {
            throw new InvalidInputException(file.path() + ": " + (extra > 1 << 20 ? "more than 1 MiB of" : extra + " bytes of")
                    + " data after the " + file.describe() + " the header declares");
        }
    }

    private static void closeQuietly(DataInputStream images, DataInputStream labels) {
        for (DataInputStream in : new DataInputStream[]{images, labels}) {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read only
                }
            }
        }
    }
}
