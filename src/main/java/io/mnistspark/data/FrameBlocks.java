package io.mnistspark.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A DataFrame's images as {@link ImageBlocks}, packed where its partitions are: each executor turns its rows
 * (a feature vector of pixel intensities in [0, 1], or an image of bytes, and a whole-number label) into blocks of at most
 * {@value ImageBlocks#BLOCK_IMAGES} 8-bit images, the blocks are numbered and spread one per partition, and
 * kept {@code MEMORY_AND_DISK}. The driver receives only each block's size. Validation rows are held out
 * where they are: by a boolean column, or at random with a seeded fraction (like Spark's {@code randomSplit}:
 * the same data in the same partitions gives the same split).
 */
public final class FrameBlocks {
    private FrameBlocks() {
    }

    /** The training blocks and the held-out blocks (null when none are held out). */
    public record Split(ImageBlocks train, ImageBlocks validation) {
    }

    /**
     * @param validationColumn   a boolean column: true rows are held out (null: use the fraction)
     * @param validationFraction the fraction held out at random when there is no column, in [0, 1)
     */
    public static Split pack(Dataset<?> data, String featuresColumn, String labelColumn, String validationColumn,
                             double validationFraction, long seed) {
        List<String> columns = new ArrayList<>(List.of(featuresColumn, labelColumn));
        if (validationColumn != null) {
            columns.add(validationColumn);
        }
        JavaRDD<Row> rows = data.selectExpr(columns.toArray(new String[0])).toJavaRDD();
        JavaRDD<Tuple2<Boolean, LabeledImages>> packed = rows.mapPartitionsWithIndex((p, it) ->
                        pack(it, p, featuresColumn, labelColumn, validationColumn, validationFraction, seed), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // one small record per block: side, image count, rows, columns, in partition order
            List<int[]> sizes = packed.map(t -> new int[]{t._1() ? 1 : 0, t._2().count(), t._2().rows(), t._2().columns()})
                    .collect();
            int[] shape = null;
            for (int[] size : sizes) {
                if (shape != null && (shape[0] != size[2] || shape[1] != size[3])) {
                    throw new IllegalArgumentException("column " + featuresColumn + " holds vectors of sizes "
                            + shape[0] * shape[1] + " and " + size[2] * size[3] + "; all must have the same size");
                }
                shape = new int[]{size[2], size[3]};
            }
            if (shape == null) {
                throw new IllegalArgumentException("the dataset has no rows to train on");
            }
            ImageBlocks train = spread(packed, sizes, false, shape, "the DataFrame's training rows");
            if (train == null) {
                throw new IllegalArgumentException("every row of the dataset is held out for validation: nothing to train on");
            }
            ImageBlocks validation = spread(packed, sizes, true, shape, "the DataFrame's validation rows");
            return new Split(train, validation);
        } finally {
            packed.unpersist(false);
        }
    }

    /** The blocks of one side numbered in partition order and moved to one partition each, cached. */
    private static ImageBlocks spread(JavaRDD<Tuple2<Boolean, LabeledImages>> packed, List<int[]> sizes,
                                      boolean validation, int[] shape, String origin) {
        List<Integer> counts = new ArrayList<>();
        for (int[] size : sizes) {
            if ((size[0] == 1) == validation) {
                counts.add(size[1]);
            }
        }
        if (counts.isEmpty()) {
            return null;
        }
        JavaRDD<LabeledImages> blocks = packed.filter(t -> t._1() == validation)
                .zipWithIndex()
                .mapToPair(t -> new Tuple2<>((int) (long) t._2(), t._1()._2()))
                .partitionBy(new ImageBlocks.BlockPartitioner(counts.size()))
                .values()
                .persist(StorageLevel.MEMORY_AND_DISK());
        blocks.setName(origin);
        blocks.count();
        int[] array = counts.stream().mapToInt(Integer::intValue).toArray();
        return ImageBlocks.ofBlocks(blocks, array, shape[0], shape[1], blocks, origin);
    }

    private static Iterator<Tuple2<Boolean, LabeledImages>> pack(Iterator<Row> rows, int partition, String featuresColumn,
                                                                 String labelColumn, String validationColumn,
                                                                 double fraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + partition);
        Packer train = new Packer();
        Packer held = new Packer();
        List<Tuple2<Boolean, LabeledImages>> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            if (row.isNullAt(0) || row.isNullAt(1)) {
                throw new IllegalArgumentException("null in column " + (row.isNullAt(0) ? featuresColumn : labelColumn));
            }
            boolean validation;
            if (validationColumn != null) {
                if (row.isNullAt(2)) {
                    throw new IllegalArgumentException("null in column " + validationColumn);
                }
                validation = row.getBoolean(2);
            } else {
                validation = fraction > 0 && random.nextDouble() < fraction;
            }
            Packer packer = validation ? held : train;
            double label = ((Number) row.get(1)).doubleValue();
            Object pixels = row.get(0);
            if (pixels instanceof byte[] bytes) {
                packer.add(bytes, label, featuresColumn, labelColumn);
            } else {
                packer.add((Vector) pixels, label, featuresColumn, labelColumn);
            }
            if (packer.count == ImageBlocks.BLOCK_IMAGES) {
                out.add(new Tuple2<>(validation, packer.take()));
            }
        }
        if (train.count > 0) {
            out.add(new Tuple2<>(false, train.take()));
        }
        if (held.count > 0) {
            out.add(new Tuple2<>(true, held.take()));
        }
        return out.iterator();
    }

    /** Collects rows into one block: values x255 rounded (the precision of the images they come from). */
    private static final class Packer {
        private final ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        private final ByteArrayOutputStream labels = new ByteArrayOutputStream();
        private int size = -1;
        private int count;

        void add(byte[] image, double label, String imageColumn, String labelColumn) {
            if (size >= 0 && image.length != size) {
                throw new IllegalArgumentException("column " + imageColumn + " holds images of " + size
                        + " and " + image.length + " bytes; all must have the same size");
            }
            size = image.length;
            pixels.write(image, 0, image.length);
            addLabel(label, labelColumn);
        }

        void add(Vector features, double label, String featuresColumn, String labelColumn) {
            double[] values = features.toArray();
            if (size >= 0 && values.length != size) {
                throw new IllegalArgumentException("column " + featuresColumn + " holds vectors of sizes " + size
                        + " and " + values.length + "; all must have the same size");
            }
            size = values.length;
            for (double v : values) {
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("column " + featuresColumn + " holds " + v
                            + ": features must be pixel intensities in [0, 1]");
                }
                pixels.write((int) Math.round(v * 255));
            }
            addLabel(label, labelColumn);
        }

        private void addLabel(double label, String labelColumn) {
            if (label != Math.rint(label) || label < 0 || label > 255) {
                throw new IllegalArgumentException("column " + labelColumn + " holds " + label
                        + ": labels must be whole numbers 0-255");
            }
            labels.write((int) label);
            count++;
        }

        LabeledImages take() {
            int side = (int) Math.round(Math.sqrt(size));
            int height = side * side == size ? side : 1;
            int width = side * side == size ? side : size;
            LabeledImages block = new LabeledImages(height, width, pixels.toByteArray(), labels.toByteArray());
            pixels.reset();
            labels.reset();
            count = 0;
            return block;
        }
    }
}
