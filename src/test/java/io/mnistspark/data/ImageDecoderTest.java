package io.mnistspark.data;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {
    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }

    @Test
    void aGreyPngOfAnIdxImageGivesExactlyItsPixels() throws IOException {
        LabeledImages images = IdxFixtures.learnable(3, 28, 28, 7);
        for (int i = 0; i < images.count(); i++) {
            byte[] png = encode(IdxFixtures.greyImage(images, i), "png");
            ImageDecoder.Decoded decoded = ImageDecoder.decode(png, 28, 28, false);
            ImageDecoder.Decoded inverted = ImageDecoder.decode(png, 28, 28, true);
            assertNull(decoded.error());
            float[] expected = new float[784];
            float[] expectedInverted = new float[784];
            for (int p = 0; p < 784; p++) {
                expected[p] = (float) (images.pixel(i, p) / 255.0); // FeatureFrames' value, as the network's float
                expectedInverted[p] = (float) (1.0 - images.pixel(i, p) / 255.0);
            }
            assertArrayEquals(expected, decoded.pixels(), 0f);
            assertArrayEquals(expectedInverted, inverted.pixels(), 0f);
        }
    }

    @Test
    void aGreyPngOfAnotherSizeIsFittedAsImageIoWouldGiveIt() throws IOException {
        BufferedImage image = IdxFixtures.greyImage(IdxFixtures.learnable(1, 28, 28, 5), 0);
        for (int[] size : new int[][]{{56, 56}, {28, 40}, {40, 28}}) {
            BufferedImage other = new BufferedImage(size[0], size[1], BufferedImage.TYPE_BYTE_GRAY);
            other.getGraphics().drawImage(image, 0, 0, size[0], size[1], null);
            byte[] png = encode(other, "png");
            assertTrue(GreyPng.decode(png) != null, "decoded without ImageIO");
            for (boolean invert : new boolean[]{false, true}) {
                double[] grey = ImageDecoder.grey(ImageIO.read(new java.io.ByteArrayInputStream(png)), invert);
                double[] fitted = ImageDecoder.fit(grey, size[0], size[1], 28, 28);
                float[] expected = new float[784];
                for (int p = 0; p < 784; p++) {
                    expected[p] = (float) fitted[p];
                }
                assertArrayEquals(expected, ImageDecoder.decode(png, 28, 28, invert).pixels(), 0f,
                        size[0] + "x" + size[1] + ", invert " + invert);
            }
        }
    }

    @Test
    void aColourImageIsFittedKeepingItsAspectRatioAndCentred() throws IOException {
        BufferedImage image = new BufferedImage(100, 60, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 100; x++) {
                image.setRGB(x, y, 0xFFFFFF);
            }
        }
        float[] pixels = ImageDecoder.decode(encode(image, "png"), 28, 28, false).pixels();
        // 100x60 -> 28x17, rows 5..21 white, the rest black
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertEquals(y >= 5 && y < 22 ? 1.0 : 0.0, pixels[y * 28 + x], 1e-9, "pixel " + x + "," + y);
            }
        }
        float[] inverted = ImageDecoder.decode(encode(image, "png"), 28, 28, true).pixels();
        double sum = 0;
        for (float v : inverted) {
            sum += v;
        }
        assertEquals(0.0, sum, 1e-9, "white paper becomes the black background");
    }

    @Test
    void colourIsWeightedLuminance() throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 4, 0xFF0000);
        image.setRGB(5, 6, 0x00FF00);
        float[] pixels = ImageDecoder.decode(encode(image, "bmp"), 28, 28, false).pixels();
        assertEquals((float) 0.299, pixels[4 * 28 + 3], 1e-7);
        assertEquals((float) 0.587, pixels[6 * 28 + 5], 1e-7);
    }

    @Test
    void undecodableFilesAreRejectedWithAReason() throws IOException {
        ImageDecoder.Decoded text = ImageDecoder.decode("hello, not an image".getBytes(), 28, 28, false);
        assertFalse(text.ok());
        assertEquals("not a PNG, JPEG, BMP or GIF image", text.error());
        byte[] png = encode(IdxFixtures.greyImage(IdxFixtures.learnable(1, 28, 28, 1), 0), "png");
        ImageDecoder.Decoded truncated = ImageDecoder.decode(Arrays.copyOf(png, png.length / 2), 28, 28, false);
        assertFalse(truncated.ok());
        assertTrue(truncated.error().startsWith("corrupt image"), truncated.error());
        assertEquals("empty file", ImageDecoder.decode(new byte[0], 28, 28, false).error());
    }
}
