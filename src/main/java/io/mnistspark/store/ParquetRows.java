package io.mnistspark.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Rows of a flat schema (long, int, double and string columns, none null) written as Parquet files that Spark
 * reads exactly as if its DataFrame writer had written them (the same Parquet types, snappy compression, and
 * the Spark schema in the footer), but without Spark SQL: an RDD's partitions go through Parquet's own
 * {@link ParquetOutputFormat} and Hadoop's output committer ({@link #save}), or a driver's few rows through
 * Parquet's {@link ParquetWriter} ({@link #writeFile}). Planning a Spark SQL write takes a short {@code score}
 * run longer than scoring 70000 images (bench/README.md#scoring).
 */
public final class ParquetRows {
    /** The Spark schema, as JSON, in the Hadoop settings of the tasks: copied into every file's footer. */
    static final String SCHEMA_KEY = "mnist-spark.parquet.rows.schema";
    /** The Parquet schema, as Parquet's text, in the Hadoop settings of the tasks: what they write. */
    static final String MESSAGE_KEY = "mnist-spark.parquet.rows.message";
    /** Where Spark's Parquet reader finds a file's Spark schema (Spark's ParquetReadSupport.SPARK_METADATA_KEY). */
    static final String SPARK_SCHEMA_METADATA = "org.apache.spark.sql.parquet.row.metadata";
    static final String SPARK_VERSION_METADATA = "org.apache.spark.version";

    private ParquetRows() {
    }

    /**
     * Writes {@code rows} into the directory {@code dir} (which must not exist yet): one {@code part-r-NNNNN}
     * Parquet file a partition, committed by Hadoop's output committer, which writes {@code _SUCCESS} last.
     */
    public static void save(JavaRDD<Row> rows, StructType schema, Path dir, Configuration hadoop) {
        Configuration conf = settings(hadoop, schema);
        try {
            rows.mapToPair(row -> new Tuple2<Void, Row>(null, row))
                    .saveAsNewAPIHadoopFile(dir.toString(), Void.class, Row.class, ParquetOutputFormat.class, conf);
        } catch (Exception e) { // Scala's SparkException is checked in Java, and undeclared
            throw ParquetRows.<RuntimeException>failure(dir, e);
        }
    }

    /**
     * What a failed write is reported as: a full or read-only disk as one line naming {@code dir}; anything else
     * as the failure under Spark's Hadoop writer's "Job aborted." (which names nothing), as Spark SQL's writer
     * reported it.
     */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException failure(Path dir, Throwable e) throws T {
        if (StorageProblem.isStorage(e)) {
            return RunDirectory.writeFailed(dir, e);
        }
        Throwable cause = e;
        while (cause instanceof org.apache.spark.SparkException && "Job aborted.".equals(cause.getMessage())
                && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        throw (T) cause; // unchanged, checked or not
    }

    /** Writes {@code rows} (held by the driver already) as the one Parquet file {@code file}, on the driver. */
    public static void writeFile(List<Row> rows, StructType schema, Path file, Configuration hadoop) {
        try (ParquetWriter<Row> writer = new Builder(file).withConf(settings(hadoop, schema))
                .withCompressionCodec(CompressionCodecName.SNAPPY).withDictionaryEncoding(false).build()) {
            for (Row row : rows) {
                writer.write(row);
            }
        } catch (IOException | org.apache.hadoop.fs.FSError e) { // a full disk surfaces as Hadoop's FSError
            throw RunDirectory.writeFailed(file, e);
        }
    }

    /**
     * Writes a few thousand rows of the Parquet schema {@code message} (as {@link #parquetText} gives it) into
     * memory and drops them. Run on a spare core while Spark starts, it does what each task's writer would
     * otherwise do cold: loading and initialising Parquet's writer and its footer's Thrift code
     * (bench/README.md#scoring-sixth-pass). It writes no file and starts nothing of Spark's; its rows are Spark
     * SQL's {@code GenericRow}s. Uncompressed: snappy's native library is left to the tasks, so that an
     * environment where it cannot load gets the same error from the task as without the warm-up.
     */
    public static void warmUp(String message) {
        MessageType type = MessageTypeParser.parseMessageType(message);
        Object[] values = new Object[type.getFieldCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (type.getType(i).asPrimitiveType().getPrimitiveTypeName()) {
                case INT64 -> 0L;
                case INT32 -> 0;
                case DOUBLE -> 0.0;
                default -> "warm-up";
            };
        }
        Row row = org.apache.spark.sql.RowFactory.create(values);
        Configuration conf = new Configuration(false);
        conf.set(MESSAGE_KEY, message);
        conf.set(SCHEMA_KEY, "{}");
        try (ParquetWriter<Row> writer = new Builder(new MemoryFile()).withConf(conf)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED).withDictionaryEncoding(false).build()) {
            for (int i = 0; i < 2000; i++) {
                writer.write(row);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // memory does not fail: the caller ignores what it cannot warm
        }
    }

    /** The text of {@link #parquetSchema} for {@code schema}: what {@link #warmUp} takes. */
    public static String parquetText(StructType schema) {
        return parquetSchema(schema).toString();
    }

    /** A Parquet output file in memory, for {@link #warmUp}. */
    private static final class MemoryFile implements org.apache.parquet.io.OutputFile {
        @Override
        public org.apache.parquet.io.PositionOutputStream create(long blockSizeHint) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            return new org.apache.parquet.io.PositionOutputStream() {
                @Override
                public long getPos() {
                    return bytes.size();
                }

                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.write(b, off, len);
                }
            };
        }

        @Override
        public org.apache.parquet.io.PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }

    /** The Parquet schema Spark's writer gives a flat {@code schema} of non-null columns. */
    static MessageType parquetSchema(StructType schema) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (StructField field : schema.fields()) {
            if (field.nullable()) {
                throw new IllegalArgumentException(field.name() + ": only columns that are never null are written");
            }
            DataType type = field.dataType();
            if (type.equals(DataTypes.LongType)) {
                message.required(PrimitiveTypeName.INT64).named(field.name());
            } else if (type.equals(DataTypes.IntegerType)) {
                message.required(PrimitiveTypeName.INT32).named(field.name());
            } else if (type.equals(DataTypes.DoubleType)) {
                message.required(PrimitiveTypeName.DOUBLE).named(field.name());
            } else if (type.equals(DataTypes.StringType)) {
                message.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(field.name());
            } else {
                throw new IllegalArgumentException(field.name() + ": " + type.simpleString() + " columns are not written");
            }
        }
        return message.named("spark_schema");
    }

    /** {@code hadoop} with the settings Parquet's writers read for {@code schema}. */
    private static Configuration settings(Configuration hadoop, StructType schema) {
        Configuration conf = new Configuration(hadoop);
        // fails here, on the driver, for a schema the tasks could not write; the tasks parse neither schema again
        // as Spark's JSON (Scala's JSON library, cold in a short run), only Parquet's own text of it
        conf.set(MESSAGE_KEY, parquetSchema(schema).toString());
        conf.set(SCHEMA_KEY, schema.json());
        conf.set(ParquetOutputFormat.WRITE_SUPPORT_CLASS, RowWriteSupport.class.getName());
        conf.set(ParquetOutputFormat.COMPRESSION, CompressionCodecName.SNAPPY.name());
        // the values are mostly all different (probabilities): a dictionary of them is built and then dropped
        conf.setBoolean(ParquetOutputFormat.ENABLE_DICTIONARY, false);
        // as Spark's writer: no _metadata / _common_metadata summary files beside the parts
        conf.set("parquet.summary.metadata.level", "NONE");
        return conf;
    }

    /**
     * Writes each {@link Row} of the Parquet schema in {@link #MESSAGE_KEY}, with the Spark schema in
     * {@link #SCHEMA_KEY} in the footer (made by Parquet's output format from its class name).
     */
    public static final class RowWriteSupport extends WriteSupport<Row> {
        private String[] names;
        private PrimitiveTypeName[] types;
        private RecordConsumer consumer;

        public RowWriteSupport() {
        }

        @Override
        public WriteContext init(Configuration configuration) {
            MessageType message = MessageTypeParser.parseMessageType(configuration.get(MESSAGE_KEY));
            names = new String[message.getFieldCount()];
            types = new PrimitiveTypeName[names.length];
            for (int i = 0; i < names.length; i++) {
                names[i] = message.getFieldName(i);
                types[i] = message.getType(i).asPrimitiveType().getPrimitiveTypeName();
            }
            return new WriteContext(message, Map.of(SPARK_SCHEMA_METADATA, configuration.get(SCHEMA_KEY),
                    SPARK_VERSION_METADATA, org.apache.spark.package$.MODULE$.SPARK_VERSION()));
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            consumer = recordConsumer;
        }

        @Override
        public void write(Row row) {
            consumer.startMessage();
            for (int i = 0; i < names.length; i++) {
                consumer.startField(names[i], i);
                switch (types[i]) {
                    case DOUBLE -> consumer.addDouble(row.getDouble(i));
                    case INT64 -> consumer.addLong(row.getLong(i));
                    case INT32 -> consumer.addInteger(row.getInt(i));
                    default -> consumer.addBinary(Binary.fromString(row.getString(i)));
                }
                consumer.endField(names[i], i);
            }
            consumer.endMessage();
        }
    }

    /** Parquet's file writer with {@link RowWriteSupport}. */
    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        private Builder(Path file) {
            super(file);
        }

        private Builder(org.apache.parquet.io.OutputFile file) {
            super(file);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(Configuration conf) {
            return new RowWriteSupport();
        }
    }
}
