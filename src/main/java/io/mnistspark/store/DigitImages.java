package io.mnistspark.store;

import io.mnistspark.evaluate.Misclassified;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A digit drawn from its pixels as a PNG: dark ink on white, each pixel a {@code scale} x {@code scale} square. */
final class DigitImages {
    static final int SCALE = 3;

    private DigitImages() {
    }

    static byte[] png(Misclassified.Example example, int scale) {
        BufferedImage image = new BufferedImage(example.columns() * scale, example.rows() * scale,
                BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < example.rows(); y++) {
            for (int x = 0; x < example.columns(); x++) {
                int ink = example.pixels()[y * example.columns() + x];
                int grey = 255 - ink;
                int rgb = grey << 16 | grey << 8 | grey;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        image.setRGB(x * scale + dx, y * scale + dy, rgb);
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a digit image", e);
        }
        return out.toByteArray();
    }
}
