package io.mnistspark.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The common case of digit files decoded without ImageIO: a PNG of 8-bit greyscale, not interlaced, with no
 * chunk that could change its grey levels (only IHDR, IDAT, IEND and text, time or resolution chunks). Its
 * grey levels are the bytes after PNG's row filters are undone, the values ImageIO's raster gives; anything
 * else (other PNG kinds, damaged or truncated files) gives {@code null} and goes to ImageIO, which decodes
 * it or says why not. ImageIO costs several times more per small file (a reader looked up among every
 * installed one, streams, a BufferedImage).
 */
final class GreyPng {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Set<String> HARMLESS = Set.of("tEXt", "zTXt", "iTXt", "tIME", "pHYs");

    private GreyPng() {
    }

    /** The image's grey levels (0-255) row by row with its width and height, or null: not this kind of PNG. */
    record Grey(int width, int height, byte[] levels) {
    }

    /** Whether {@code file} starts as a PNG of {@code width x height} pixels (its signature and header say so). */
    static boolean isPngOfSize(byte[] file, int width, int height) {
        if (file.length < SIGNATURE.length + 16 || !signed(file)) {
            return false;
        }
        int at = SIGNATURE.length;
        return readInt(file, at) == 13 && file[at + 4] == 'I' && file[at + 5] == 'H' && file[at + 6] == 'D'
                && file[at + 7] == 'R' && readInt(file, at + 8) == width && readInt(file, at + 12) == height;
    }

    static Grey decode(byte[] file) {
        if (file.length < SIGNATURE.length + 25 || !signed(file)) {
            return null;
        }
        int at = SIGNATURE.length;
        int width = -1;
        int height = -1;
        ByteArrayOutputStream idat = null;
        int idatStart = -1;
        int idatLength = 0;
        boolean ended = false;
        while (at + 8 <= file.length) {
            long length = readInt(file, at) & 0xFFFFFFFFL;
            String type = new String(file, at + 4, 4, StandardCharsets.ISO_8859_1);
            int body = at + 8;
            if (length > file.length - body - 4L) {
                return null; // truncated
            }
            int n = (int) length;
            if (width < 0) {
                if (!type.equals("IHDR") || n != 13) {
                    return null;
                }
                width = readInt(file, body);
                height = readInt(file, body + 4);
                int depth = file[body + 8];
                int colour = file[body + 9];
                if (width <= 0 || height <= 0 || (long) width * height > ImageDecoder.MAX_PIXELS || depth != 8 || colour != 0
                        || file[body + 10] != 0 || file[body + 11] != 0 || file[body + 12] != 0) {
                    return null;
                }
            } else if (type.equals("IDAT")) {
                if (idatStart < 0 && idat == null) {
                    idatStart = body;
                    idatLength = n;
                } else {
                    if (idat == null) {
                        idat = new ByteArrayOutputStream(idatLength + n);
                        idat.write(file, idatStart, idatLength);
                    }
                    idat.write(file, body, n);
                }
            } else if (type.equals("IEND")) {
                ended = true;
                break;
            } else if (!HARMLESS.contains(type)) {
                return null;
            }
            at = body + n + 4;
        }
        if (!ended || idatStart < 0) {
            return null;
        }
        byte[] compressed = idat == null ? file : idat.toByteArray();
        int offset = idat == null ? idatStart : 0;
        int length = idat == null ? idatLength : compressed.length;
        int stride = width + 1;
        byte[] filtered = new byte[stride * height];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed, offset, length);
            int got = 0;
            while (got < filtered.length) {
                int n = inflater.inflate(filtered, got, filtered.length - got);
                if (n == 0) {
                    return null; // the data ends early (or needs a dictionary): ImageIO says what is wrong
                }
                got += n;
            }
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
        return unfilter(filtered, width, height);
    }

    private static Grey unfilter(byte[] filtered, int width, int height) {
        byte[] levels = new byte[width * height];
        int stride = width + 1;
        for (int y = 0; y < height; y++) {
            int filter = filtered[y * stride];
            int in = y * stride + 1;
            int out = y * width;
            int up = out - width;
            for (int x = 0; x < width; x++) {
                int raw = filtered[in + x] & 0xFF;
                int a = x > 0 ? levels[out + x - 1] & 0xFF : 0;
                int b = y > 0 ? levels[up + x] & 0xFF : 0;
                int c = x > 0 && y > 0 ? levels[up + x - 1] & 0xFF : 0;
                int value = switch (filter) {
                    case 0 -> raw;
                    case 1 -> raw + a;
                    case 2 -> raw + b;
                    case 3 -> raw + ((a + b) >>> 1);
                    case 4 -> raw + paeth(a, b, c);
                    default -> -1;
                };
                if (value < 0) {
                    return null; // an unknown filter type: ImageIO reports it
                }
                levels[out + x] = (byte) value;
            }
        }
        return new Grey(width, height, levels);
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /** Whether {@code file} (at least as long as the signature) starts with PNG's signature. */
    private static boolean signed(byte[] file) {
        return java.util.Arrays.equals(file, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
