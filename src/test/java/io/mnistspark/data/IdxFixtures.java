package io.mnistspark.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests: well-formed ones and deliberately broken ones. */
public final class IdxFixtures {
    private IdxFixtures() {
    }

    public static byte[] imagesBytes(int magic, int count, int rows, int columns, byte[] pixels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(columns);
            out.write(pixels);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] labelsBytes(int magic, int count, byte[] labels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            out.writeInt(count);
            out.write(labels);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** Random images whose label is encoded in their brightness pattern, so a network can learn them. */
    public static LabeledImages learnable(int count, int rows, int columns, long seed) {
        return learnable(count, rows, columns, seed, 0, 10);
    }

    /** Like {@link #learnable(int, int, int, long)} with labels {@code first .. first + classes - 1}. */
    public static LabeledImages learnable(int count, int rows, int columns, long seed, int first, int classes) {
        Random random = new Random(seed);
        int n = rows * columns;
        byte[] pixels = new byte[count * n];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = first + random.nextInt(classes);
            labels[i] = (byte) label;
            for (int p = 0; p < n; p++) {
                boolean on = p % classes == label - first;
                pixels[i * n + p] = (byte) (on ? 150 + random.nextInt(106) : random.nextInt(60));
            }
        }
        return new LabeledImages(rows, columns, pixels, labels);
    }

    /** Writes images and labels as the four standard gzip files (train and test) into {@code dir}. */
    public static Path writeDataset(Path dir, LabeledImages train, LabeledImages test) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train", train, true);
        write(dir, "t10k", test, true);
        return dir;
    }

    /** Writes images and labels as the four standard raw (uncompressed) files into {@code dir}. */
    public static Path writeRawDataset(Path dir, LabeledImages train, LabeledImages test) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train", train, false);
        write(dir, "t10k", test, false);
        return dir;
    }

    private static void write(Path dir, String prefix, LabeledImages images, boolean gzip) throws IOException {
        byte[] pixels = new byte[images.count() * images.pixelsPerImage()];
        byte[] labels = new byte[images.count()];
        for (int i = 0; i < images.count(); i++) {
            labels[i] = (byte) images.label(i);
            for (int p = 0; p < images.pixelsPerImage(); p++) {
                pixels[i * images.pixelsPerImage() + p] = (byte) images.pixel(i, p);
            }
        }
        byte[] imageFile = imagesBytes(IdxHeader.IMAGES_MAGIC, images.count(), images.rows(), images.columns(), pixels);
        byte[] labelFile = labelsBytes(IdxHeader.LABELS_MAGIC, images.count(), labels);
        String suffix = gzip ? ".gz" : "";
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gzip ? gzip(imageFile) : imageFile);
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gzip ? gzip(labelFile) : labelFile);
    }

    /** Image {@code index} of {@code images} as an 8-bit greyscale image (what a PNG of an IDX image holds). */
    public static java.awt.image.BufferedImage greyImage(LabeledImages images, int index) {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(images.columns(), images.rows(),
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < images.rows(); y++) {
            for (int x = 0; x < images.columns(); x++) {
                image.getRaster().setSample(x, y, 0, images.pixel(index, y * images.columns() + x));
            }
        }
        return image;
    }
}
