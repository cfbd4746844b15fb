package io.mnistspark.data;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GreyPngTest {
    /** A grey image of noise and gradients: ImageIO's writer picks every PNG row filter for such rows. */
    static BufferedImage mixedGrey(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int value = switch (y % 4) {
                    case 0 -> random.nextInt(256);
                    case 1 -> (x * 9) & 0xFF;
                    case 2 -> (x * y) & 0xFF;
                    default -> random.nextInt(4) + 120;
                };
                image.getRaster().setSample(x, y, 0, value);
            }
        }
        return image;
    }

    static byte[] levelsOf(BufferedImage image) {
        byte[] levels = new byte[image.getWidth() * image.getHeight()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                levels[y * image.getWidth() + x] = (byte) image.getRaster().getSample(x, y, 0);
            }
        }
        return levels;
    }

    @Test
    void greyPngsGiveTheGreyLevelsImageIoReads() throws IOException {
        for (int[] size : new int[][]{{28, 28}, {50, 37}, {1, 1}, {300, 7}}) {
            byte[] png = ImageDecoderTest.encode(mixedGrey(size[0], size[1], size[0] * 31L + size[1]), "png");
            GreyPng.Grey grey = GreyPng.decode(png);
            assertNotNull(grey, Arrays.toString(size));
            assertEquals(size[0], grey.width());
            assertEquals(size[1], grey.height());
            assertArrayEquals(levelsOf(ImageIO.read(new ByteArrayInputStream(png))), grey.levels(), Arrays.toString(size));
        }
    }

    @Test
    void imageDataSplitOverSeveralChunksIsJoined() throws IOException {
        BufferedImage image = mixedGrey(40, 30, 5);
        byte[] rows = new byte[30 * 41];
        byte[] levels = levelsOf(image);
        for (int y = 0; y < 30; y++) {
            System.arraycopy(levels, y * 40, rows, y * 41 + 1, 40); // filter 0 (none) on every row
        }
        Deflater deflater = new Deflater();
        deflater.setInput(rows);
        deflater.finish();
        byte[] compressed = new byte[rows.length + 100];
        int n = deflater.deflate(compressed);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", new byte[]{0, 0, 0, 40, 0, 0, 0, 30, 8, 0, 0, 0, 0});
        chunk(png, "tEXt", "Comment\0three IDAT chunks".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        chunk(png, "IDAT", Arrays.copyOfRange(compressed, 0, 10));
        chunk(png, "IDAT", Arrays.copyOfRange(compressed, 10, 11));
        chunk(png, "IDAT", Arrays.copyOfRange(compressed, 11, n));
        chunk(png, "IEND", new byte[0]);
        GreyPng.Grey grey = GreyPng.decode(png.toByteArray());
        assertNotNull(grey);
        assertArrayEquals(levels, grey.levels());
        assertArrayEquals(levels, levelsOf(ImageIO.read(new ByteArrayInputStream(png.toByteArray()))));
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] body) throws IOException {
        byte[] kind = type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        out.write(java.nio.ByteBuffer.allocate(4).putInt(body.length).array());
        out.write(kind);
        out.write(body);
        CRC32 crc = new CRC32();
        crc.update(kind);
        crc.update(body);
        out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void otherImagesAndDamagedFilesAreLeftToImageIo() throws IOException {
        BufferedImage rgb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        assertNull(GreyPng.decode(ImageDecoderTest.encode(rgb, "png")), "colour PNG");
        BufferedImage greyAlpha = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        assertNull(GreyPng.decode(ImageDecoderTest.encode(greyAlpha, "png")), "alpha");
        BufferedImage binary = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_BINARY);
        assertNull(GreyPng.decode(ImageDecoderTest.encode(binary, "png")), "1-bit");
        byte[] png = ImageDecoderTest.encode(mixedGrey(28, 28, 1), "png");
        for (int cut : new int[]{png.length - 12, png.length / 2, 40, 8, 0}) {
            assertNull(GreyPng.decode(Arrays.copyOf(png, cut)), "truncated at " + cut);
        }
        assertNull(GreyPng.decode(ImageDecoderTest.encode(mixedGrey(28, 28, 1), "bmp")), "not a PNG");
        // through ImageDecoder: the truncated file is still rejected with ImageIO's reason
        ImageDecoder.Decoded truncated = ImageDecoder.decode(Arrays.copyOf(png, png.length / 2), 28, 28, false);
        assertTrue(truncated.error().startsWith("corrupt image"), truncated.error());
    }

    @Test
    void theHeaderSaysWhetherAFileIsAPngOfAGivenSize() throws IOException {
        byte[] png = ImageDecoderTest.encode(mixedGrey(28, 28, 1), "png");
        assertTrue(GreyPng.isPngOfSize(png, 28, 28));
        assertFalse(GreyPng.isPngOfSize(png, 28, 29));
        assertFalse(GreyPng.isPngOfSize(ImageDecoderTest.encode(mixedGrey(28, 40, 1), "png"), 28, 28));
        assertFalse(GreyPng.isPngOfSize(ImageDecoderTest.encode(mixedGrey(28, 28, 1), "bmp"), 28, 28));
        assertFalse(GreyPng.isPngOfSize(Arrays.copyOf(png, 20), 28, 28));
    }
}
