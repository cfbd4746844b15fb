package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads one IDX file (the MNIST format: big-endian magic number, dimensions, then unsigned bytes) from any
 * Hadoop file system, gzip-compressed or raw (detected from the content, not the name), and checks it
 * completely: magic number, dimensions, that the data is exactly as long as the header says, label range.
 */
public final class IdxFile {
    /** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    public static final int CLASSES = 10;

    private IdxFile() {
    }

    /** The images of an IDX3 file: count, rows, columns and the pixels. */
    public record Images(int rows, int columns, byte[] pixels, int count) {
    }

    public static Images readImages(Path path, Configuration hadoop) {
        try (DataInputStream in = open(path, hadoop)) {
            int magic = readHeaderInt(in, path, "magic number");
            if (magic != IMAGES_MAGIC) {
                throw new InvalidInputException(path + ": not an IDX images file (magic number " + magic
                        + ", expected " + IMAGES_MAGIC + ")");
            }
            int count = readHeaderInt(in, path, "image count");
            int rows = readHeaderInt(in, path, "row count");
            int columns = readHeaderInt(in, path, "column count");
            if (count <= 0) {
                throw new InvalidInputException(path + ": contains " + count + " images, expected at least 1");
            }
            if (rows <= 0 || columns <= 0 || (long) rows * columns > 1 << 20) {
                throw new InvalidInputException(path + ": image size " + rows + "x" + columns
                        + " is not a valid image size");
            }
            long bytes = (long) count * rows * columns;
            if (bytes > Integer.MAX_VALUE - 16) {
                throw new InvalidInputException(path + ": " + count + " images of " + rows + "x" + columns
                        + " are more than this reader holds in memory (2 GB)");
            }
            byte[] pixels = readBody(in, path, (int) bytes, count + " images of " + rows + "x" + columns);
            return new Images(rows, columns, pixels, count);
        } catch (IOException e) {
            throw unreadable(path, e);
        } catch (FSError e) {
            // Hadoop's local file system reports a failing read (EIO) as an Error wrapping the IOException
            throw unreadable(path, e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
    }

    public static byte[] readLabels(Path path, Configuration hadoop) {
        try (DataInputStream in = open(path, hadoop)) {
            int magic = readHeaderInt(in, path, "magic number");
            if (magic != LABELS_MAGIC) {
                throw new InvalidInputException(path + ": not an IDX labels file (magic number " + magic
                        + ", expected " + LABELS_MAGIC + ")");
            }
            int count = readHeaderInt(in, path, "label count");
            if (count <= 0) {
                throw new InvalidInputException(path + ": contains " + count + " labels, expected at least 1");
            }
            byte[] labels = readBody(in, path, count, count + " labels");
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= CLASSES) {
                    throw new InvalidInputException(path + ": label " + (labels[i] & 0xFF) + " at index " + i
                            + " is outside 0-" + (CLASSES - 1));
                }
            }
            return labels;
        } catch (IOException e) {
            throw unreadable(path, e);
        } catch (FSError e) {
            // Hadoop's local file system reports a failing read (EIO) as an Error wrapping the IOException
            throw unreadable(path, e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
    }

    private static DataInputStream open(Path path, Configuration hadoop) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(InputFiles.open(path, hadoop, "an IDX file"), 1 << 16);
            buffered.mark(4);
            byte[] head = buffered.readNBytes(4);
            buffered.reset();
            int first = head.length > 0 ? head[0] & 0xFF : -1;
            int second = head.length > 1 ? head[1] & 0xFF : -1;
            boolean idxMagic = head.length == 4 && head[0] == 0 && head[1] == 0 && head[2] == 8;
            InputStream content = buffered;
            if (first == 0x1f && second == 0x8b) {
                content = new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
            } else if (path.getName().endsWith(".gz") && !idxMagic) {
                buffered.close();
                throw new InvalidInputException(path + ": not gzip data (the name ends in .gz but the file starts with "
                        + "neither the gzip bytes 1f 8b nor an IDX header)");
            }
            return new DataInputStream(content);
        } catch (IOException e) {
            throw unreadable(path, e);
        } catch (FSError e) {
            // Hadoop's local file system reports a failing read (EIO) as an Error wrapping the IOException
            throw unreadable(path, e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
    }

    private static int readHeaderInt(DataInputStream in, Path path, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new InvalidInputException(path + ": file ends inside the IDX header (reading the " + what + ")", e);
        }
    }

    private static byte[] readBody(DataInputStream in, Path path, int length, String declared) throws IOException {
        byte[] body = new byte[length];
        int read = 0;
        while (read < length) {
            int n = in.read(body, read, length - read);
            if (n < 0) {
                throw new InvalidInputException(path + ": truncated: the header declares " + declared + " ("
                        + length + " bytes) but only " + read + " bytes follow");
            }
            read += n;
        }
        long extra = 0;
        while (in.read() >= 0) {
            extra++;
            if (extra > 1 << 20) {
                break;
            }
        }
        if (extra > 0) {
            throw new InvalidInputException(path + ": " + (extra > 1 << 20 ? "more than 1 MiB of" : extra + " bytes of")
                    + " data after the " + declared + " the header declares");
        }
        return body;
    }

    private static InvalidInputException unreadable(Path path, IOException e) {
        if (e instanceof EOFException || (e.getMessage() != null && e.getMessage().contains("end of ZLIB"))) {
            return new InvalidInputException(path + ": truncated gzip data (the file ends before the compressed stream does)", e);
        }
        if (e instanceof ZipException) {
            return new InvalidInputException(path + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
        return new InvalidInputException(path + ": cannot read (" + e.getMessage() + ")", e);
    }
}
