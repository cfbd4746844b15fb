package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The header of one IDX file (the MNIST format: big-endian magic number and dimensions, then unsigned bytes),
 * read on the driver without the data that follows. For a raw file the length is checked against the header
 * here, so "truncated" and "trailing bytes" fail before any Spark job; a gzip file's length is only known once
 * an executor has streamed it ({@link IdxStreams}).
 *
 * @param path      the file, as a Hadoop path string
 * @param images    true for an images file (magic 2051), false for labels (2049)
 * @param count     images or labels in the file
 * @param rows      image rows (1 for labels)
 * @param columns   image columns (1 for labels)
 * @param gzip      gzip-compressed (detected from the content, not the name)
 */
public record IdxHeader(String path, boolean images, int count, int rows, int columns, boolean gzip)
        implements Serializable {
    /** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** The largest image this tool reads, in pixels (1024 x 1024). */
    static final int MAX_PIXELS = 1 << 20;

    /** Bytes before the first item: 16 for images, 8 for labels. */
    public int headerBytes() {
        return images ? 16 : 8;
    }

    /** Bytes per item: rows x columns for images, 1 for labels. */
    public int itemBytes() {
        return rows * columns;
    }

    /** Where item {@code index} starts in a raw file. */
    public long offsetOf(long index) {
        return headerBytes() + index * itemBytes();
    }

    public String describe() {
        return images ? count + " images of " + rows + "x" + columns : count + " labels";
    }

    /** Reads and checks the header of an images file. */
    public static IdxHeader images(Path path, Configuration hadoop) {
        return read(path, hadoop, true);
    }

    /** Reads and checks the header of a labels file. */
    public static IdxHeader labels(Path path, Configuration hadoop) {
        return read(path, hadoop, false);
    }

    private static IdxHeader read(Path path, Configuration hadoop, boolean images) {
        IdxHeader header;
        try (DataInputStream in = open(path, hadoop)) {
            boolean gzip = in instanceof GzipData;
            int magic = readHeaderInt(in, path, "magic number");
            int expected = images ? IMAGES_MAGIC : LABELS_MAGIC;
            if (magic != expected) {
                throw new InvalidInputException(path + ": not an IDX " + (images ? "images" : "labels")
                        + " file (magic number " + magic + ", expected " + expected + ")");
            }
            int count = readHeaderInt(in, path, images ? "image count" : "label count");
            if (count <= 0) {
                throw new InvalidInputException(path + ": contains " + count + (images ? " images" : " labels")
                        + ", expected at least 1");
            }
            int rows = 1;
            int columns = 1;
            if (images) {
                rows = readHeaderInt(in, path, "row count");
                columns = readHeaderInt(in, path, "column count");
                if (rows <= 0 || columns <= 0 || (long) rows * columns > MAX_PIXELS) {
                    throw new InvalidInputException(path + ": image size " + rows + "x" + columns
                            + " is not a valid image size");
                }
            }
            // qualified (scheme and absolute path): executors resolve it, not the driver's working directory
            header = new IdxHeader(path.getFileSystem(hadoop).makeQualified(path).toString(), images, count, rows,
                    columns, gzip);
        } catch (IOException e) {
            throw unreadable(path, e);
        } catch (FSError e) {
            throw unreadable(path, e);
        }
        if (!header.gzip) {
            header.checkRawLength(path, hadoop);
        }
        return header;
    }

    /** A raw file must be exactly header + count x item bytes long. */
    private void checkRawLength(Path file, Configuration hadoop) {
        long length;
        try {
            length = file.getFileSystem(hadoop).getFileStatus(file).getLen();
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        long body = (long) count * itemBytes();
        long have = length - headerBytes();
        if (have < body) {
            throw new InvalidInputException(file + ": truncated: the header declares " + describe() + " (" + body
                    + " bytes) but only " + have + " bytes follow");
        }
        if (have > body) {
            throw new InvalidInputException(file + ": " + (have - body) + " bytes of data after the " + describe()
                    + " the header declares");
        }
    }

    /** An IDX stream from the start of the file: decompressed when the content is gzip. */
    static DataInputStream open(Path path, Configuration hadoop) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(InputFiles.open(path, hadoop, "an IDX file"), 1 << 16);
            buffered.mark(4);
            byte[] head = buffered.readNBytes(4);
            buffered.reset();
            int first = head.length > 0 ? head[0] & 0xFF : -1;
            int second = head.length > 1 ? head[1] & 0xFF : -1;
            boolean idxMagic = head.length == 4 && head[0] == 0 && head[1] == 0 && head[2] == 8;
            if (first == 0x1f && second == 0x8b) {
                return new GzipData(new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16));
            }
            if (path.getName().endsWith(".gz") && !idxMagic) {
                buffered.close();
                throw new InvalidInputException(path + ": not gzip data (the name ends in .gz but the file starts with "
                        + "neither the gzip bytes 1f 8b nor an IDX header)");
            }
            return new DataInputStream(buffered);
        } catch (IOException e) {
            throw unreadable(path, e);
        } catch (FSError e) {
            throw unreadable(path, e);
        }
    }

    /** The decompressed stream of a gzip file (so that callers can tell). */
    static final class GzipData extends DataInputStream {
        GzipData(InputStream in) {
            super(in);
        }
    }

    private static int readHeaderInt(DataInputStream in, Path path, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new InvalidInputException(path + ": file ends inside the IDX header (reading the " + what + ")", e);
        }
    }

    /** Hadoop's local file system reports a failing read (EIO) as an Error wrapping the IOException. */
    static InvalidInputException unreadable(Path path, FSError e) {
        return unreadable(path, e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e));
    }

    static InvalidInputException unreadable(Path path, IOException e) {
        if (e instanceof EOFException || (e.getMessage() != null && e.getMessage().contains("end of ZLIB"))) {
            return new InvalidInputException(path + ": truncated gzip data (the file ends before the compressed stream does)", e);
        }
        if (e instanceof ZipException) {
            return new InvalidInputException(path + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
        return new InvalidInputException(path + ": cannot read (" + e.getMessage() + ")", e);
    }

    /** The file system of this header's file. */
    FileSystem fileSystem(Configuration hadoop) throws IOException {
        return new Path(path).getFileSystem(hadoop);
    }
}
