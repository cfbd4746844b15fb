package io.mnistspark.data;

import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.Iterator;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;

/**
 * A directory (any Hadoop URI, searched recursively) of image files read with Spark's {@code binaryFile}
 * source and decoded by {@link ImageDecoder} on the executors, one row per file: {@code path},
 * {@code features} and {@code error} (why the file is not a usable image; then features is null). Like every
 * Spark file source it skips files whose names start with {@code _} or {@code .}.
 */
public final class ImageFolder {
    /** Files larger than this are rejected unread (a digit image is a few KB; this guards executor memory). */
    public static final long MAX_FILE_BYTES = 64L << 20;

    private ImageFolder() {
    }

    /** Checks that {@code directory} exists and holds at least one file, with one-line messages otherwise. */
    public static void check(Path directory, Configuration hadoop) {
        try {
            FileSystem fs = directory.getFileSystem(hadoop);
            if (!fs.exists(directory)) {
                throw new InvalidInputException(directory + ": input not found (expected an IDX images file or a"
                        + " directory of images)");
            }
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(directory, true);
            while (files.hasNext()) {
                String name = files.next().getPath().getName();
                if (!name.startsWith("_") && !name.startsWith(".")) {
                    return;
                }
            }
            throw new InvalidInputException(directory + ": the directory holds no files to score");
        } catch (IOException e) {
            throw new InvalidInputException(directory + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    /** Decodes every file under {@code directory} into {@code rows x columns} inputs. */
    public static Dataset<Row> decode(SparkSession spark, Path directory, int rows, int columns, boolean invert) {
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(directory.toString());
        Dataset<Row> decoded = files.filter(col("length").leq(MAX_FILE_BYTES)).select("path", "content")
                .mapPartitions(new Decode(rows, columns, invert), Encoders.row(FeatureFrames.decodedSchema()));
        // not a filter Spark pushes into the file source: a pushed filter that skips thousands of files in a row
        // overflows the stack of Spark's FileScanRDD (one recursive call per skipped file)
        Dataset<Row> tooLarge = files.select("path", "length")
                .filter(greatest(col("length"), lit(0L)).gt(MAX_FILE_BYTES)).select(col("path"),
                lit(null).cast(org.apache.spark.ml.linalg.SQLDataTypes.VectorType()).as(FeatureFrames.FEATURES),
                concat(lit("file of "), col("length").cast("string"), lit(" bytes is larger than the "
                        + MAX_FILE_BYTES + " bytes an image may have")).as("error"));
        return decoded.union(tooLarge);
    }

    private static final class Decode implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final int rows;
        private final int columns;
        private final boolean invert;

        Decode(int rows, int columns, boolean invert) {
            this.rows = rows;
            this.columns = columns;
            this.invert = invert;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> files) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return files.hasNext();
                }

                @Override
                public Row next() {
                    Row file = files.next();
                    ImageDecoder.Decoded image = ImageDecoder.decode((byte[]) file.get(1), rows, columns, invert);
                    return RowFactory.create(file.getString(0),
                            image.ok() ? Vectors.dense(image.pixels()) : null, image.error());
                }
            };
        }
    }
}
