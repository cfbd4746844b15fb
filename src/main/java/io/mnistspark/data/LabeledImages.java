package io.mnistspark.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Greyscale images with their labels, kept as the raw IDX bytes (one byte a pixel, row by row, image after
 * image): a quarter of the memory of floats, converted to [0,1] only when a mini-batch is built.
 */
public final class LabeledImages implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int rows;
    private final int columns;
    private final byte[] pixels;
    private final byte[] labels;

    public LabeledImages(int rows, int columns, byte[] pixels, byte[] labels) {
        if ((long) rows * columns * labels.length != pixels.length) {
            throw new IllegalArgumentException("pixel count " + pixels.length + " != " + labels.length + " x "
                    + rows + " x " + columns);
        }
        this.rows = rows;
        this.columns = columns;
        this.pixels = pixels;
        this.labels = labels;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    public int pixelsPerImage() {
        return rows * columns;
    }

    public int count() {
        return labels.length;
    }

    /** Label {@code index}, 0..255. */
    public int label(int index) {
        return labels[index] & 0xFF;
    }

    /** Pixel {@code p} (0..pixelsPerImage-1) of image {@code index}, 0..255. */
    public int pixel(int index, int p) {
        return pixels[index * pixelsPerImage() + p] & 0xFF;
    }

    /** The pixel bytes, image after image (not copied: do not change them). */
    public byte[] pixelBytes() {
        return pixels;
    }

    /** The label bytes (not copied: do not change them). */
    public byte[] labelBytes() {
        return labels;
    }

    /** The highest label, or -1 when there are no images. */
    public int maxLabel() {
        int max = -1;
        for (byte label : labels) {
            max = Math.max(max, label & 0xFF);
        }
        return max;
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public LabeledImages slice(int from, int to) {
        int n = pixelsPerImage();
        return new LabeledImages(rows, columns, Arrays.copyOfRange(pixels, from * n, to * n),
                Arrays.copyOfRange(labels, from, to));
    }

    /** The images of all parts, one after the other; an empty set (0x0 images) when there are none. */
    public static LabeledImages concat(List<LabeledImages> parts) {
        if (parts.isEmpty()) {
            return new LabeledImages(0, 0, new byte[0], new byte[0]);
        }
        LabeledImages first = parts.get(0);
        int total = parts.stream().mapToInt(LabeledImages::count).sum();
        byte[] p = new byte[total * first.pixelsPerImage()];
        byte[] l = new byte[total];
        int at = 0;
        for (LabeledImages part : parts) {
            System.arraycopy(part.pixels, 0, p, at * first.pixelsPerImage(), part.pixels.length);
            System.arraycopy(part.labels, 0, l, at, part.labels.length);
            at += part.count();
        }
        return new LabeledImages(first.rows, first.columns, p, l);
    }
}
