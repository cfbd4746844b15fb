package io.mnistspark.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.color.ColorSpace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns the bytes of a PNG, JPEG, BMP or GIF file into the input of an MNIST network, the MNIST way:
 * <ol>
 *   <li>greyscale: grey images keep their grey levels exactly (so a 28x28 greyscale PNG written from an IDX
 *       image gives exactly that image's input); colour images become {@code 0.299 R + 0.587 G + 0.114 B};
 *       transparent pixels are blended with the background (black, or white with {@code invert});</li>
 *   <li>{@code invert} (dark digits on light paper) maps each grey level g to 1 - g, so the digit is light on
 *       a black background as in MNIST;</li>
 *   <li>an image of another size is fitted into the target size keeping its aspect ratio (its longer side
 *       becomes 28 pixels), each target pixel the area-weighted mean of the source pixels it covers, and
 *       centred on a black background;</li>
 *   <li>values are grey levels / 255, in [0, 1], row by row.</li>
 * </ol>
 * Runs on the executors; pure Java (javax.imageio; 8-bit greyscale PNGs, the usual digit files, by
 * {@link GreyPng} with the same result), no native code.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    /**
     * The pixels of a decoded image (in the network's precision, float: what it is given), or why the file could
     * not be decoded.
     */
    public record Decoded(float[] pixels, String error) {
        public boolean ok() {
            return pixels != null;
        }
    }

    /**
     * The values {@link #grey} and {@link #fit} compute for grey level g of an image of the target size after
     * {@code invert}, as floats (without it: {@link FeatureFrames#input}).
     */
    private static final float[] INVERTED_LEVELS = new float[256];

    static {
        for (int g = 0; g < 256; g++) {
            INVERTED_LEVELS[g] = (float) (1.0 - g / 255.0);
        }
    }

    /** Larger images are rejected before their pixels are decoded (a 40-megapixel RGB image needs 160 MB). */
    static final long MAX_PIXELS = 40_000_000L;

    public static Decoded decode(byte[] content, int rows, int columns, boolean invert) {
        if (content.length == 0) {
            return new Decoded(null, "empty file");
        }
        GreyPng.Grey png = GreyPng.decode(content);
        if (png != null) {
            byte[] levels = png.levels();
            if (png.width() == columns && png.height() == rows) { // the usual digit file: a table lookup a pixel
                float[] pixels = new float[levels.length];
                for (int i = 0; i < levels.length; i++) {
                    pixels[i] = invert ? INVERTED_LEVELS[levels[i] & 0xFF] : FeatureFrames.input(levels[i] & 0xFF);
                }
                return new Decoded(pixels, null);
            }
            double[] grey = new double[levels.length];
            for (int i = 0; i < levels.length; i++) {
                double g = (levels[i] & 0xFF) / 255.0; // as grey() computes it from ImageIO's raster
                grey[i] = invert ? 1.0 - g : g;
            }
            return new Decoded(floats(fit(grey, png.width(), png.height(), rows, columns)), null);
        }
        return ImageIoPath.decode(content, rows, columns, invert);
    }

    /**
     * Every other image, through ImageIO: its registry of readers is set up on first use only, so that a run of
     * plain grey PNGs never pays for it.
     */
    private static final class ImageIoPath {
        static {
            ImageIO.setUseCache(false);
        }

        static Decoded decode(byte[] content, int rows, int columns, boolean invert) {
            BufferedImage image;
            try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
                Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                if (!readers.hasNext()) {
                    return new Decoded(null, "not a PNG, JPEG, BMP or GIF image");
                }
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                    if (pixels > MAX_PIXELS) {
                        return new Decoded(null, "image of " + reader.getWidth(0) + "x" + reader.getHeight(0)
                                + " pixels is larger than " + MAX_PIXELS + " pixels");
                    }
                    image = reader.read(0);
                } finally {
                    reader.dispose();
                }
            } catch (IOException | RuntimeException e) {
                return new Decoded(null, "corrupt image: " + reason(e));
            }
            try {
                return new Decoded(floats(fit(grey(image, invert), image.getWidth(), image.getHeight(), rows, columns)), null);
            } catch (RuntimeException e) {
                return new Decoded(null, "corrupt image: " + reason(e));
            }
        }
    }

    /** {@code values} rounded to the network's floats. */
    private static float[] floats(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }

    /** Grey levels in [0, 1], row by row, light digit on black (after {@code invert}). */
    static double[] grey(BufferedImage image, boolean invert) {
        int width = image.getWidth();
        int height = image.getHeight();
        double[] grey = new double[width * height];
        double background = invert ? 1.0 : 0.0;
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        boolean plainGrey = !(model instanceof IndexColorModel)
                && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        if (plainGrey) {
            double max = (1 << model.getComponentSize(0)) - 1;
            double alphaMax = model.hasAlpha() ? (1 << model.getComponentSize(1)) - 1 : 1;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double g = raster.getSample(x, y, 0) / max;
                    if (model.hasAlpha()) {
                        double a = raster.getSample(x, y, 1) / alphaMax;
                        g = g * a + background * (1 - a);
                    }
                    grey[y * width + x] = invert ? 1.0 - g : g;
                }
            }
            return grey;
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = image.getRGB(x, y);
                double a = (argb >>> 24) / 255.0;
                double g = (0.299 * ((argb >> 16) & 0xFF) + 0.587 * ((argb >> 8) & 0xFF) + 0.114 * (argb & 0xFF)) / 255.0;
                g = g * a + background * (1 - a);
                grey[y * width + x] = invert ? 1.0 - g : g;
            }
        }
        return grey;
    }

    /**
     * Fits a {@code width x height} image into {@code rows x columns} keeping its aspect ratio (area
     * averaging), centred on black; an image of the target size is returned unchanged.
     */
    static double[] fit(double[] source, int width, int height, int rows, int columns) {
        if (width == columns && height == rows) {
            return source;
        }
        double scale = Math.min((double) columns / width, (double) rows / height);
        int fittedWidth = Math.max(1, Math.min(columns, (int) Math.round(width * scale)));
        int fittedHeight = Math.max(1, Math.min(rows, (int) Math.round(height * scale)));
        double stepX = (double) width / fittedWidth;
        double stepY = (double) height / fittedHeight;
        int left = (columns - fittedWidth) / 2;
        int top = (rows - fittedHeight) / 2;
        double[] target = new double[rows * columns];
        for (int ty = 0; ty < fittedHeight; ty++) {
            double y0 = ty * stepY;
            double y1 = y0 + stepY;
            for (int tx = 0; tx < fittedWidth; tx++) {
                double x0 = tx * stepX;
                double x1 = x0 + stepX;
                double sum = 0;
                for (int sy = (int) y0; sy < Math.min(height, (int) Math.ceil(y1)); sy++) {
                    double wy = Math.min(sy + 1, y1) - Math.max(sy, y0);
                    for (int sx = (int) x0; sx < Math.min(width, (int) Math.ceil(x1)); sx++) {
                        double wx = Math.min(sx + 1, x1) - Math.max(sx, x0);
                        sum += wx * wy * source[sy * width + sx];
                    }
                }
                target[(top + ty) * columns + left + tx] = Math.min(1.0, Math.max(0.0, sum / (stepX * stepY)));
            }
        }
        return target;
    }

    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (cause != e && cause.getMessage() != null) {
            message += " (" + cause.getMessage() + ")";
        }
        return message.replace('\n', ' ');
    }
}
