package io.mnistspark.store;

import io.mnistspark.TestSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParquetRowsTest {
    private static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("index", DataTypes.LongType, false),
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("prediction", DataTypes.IntegerType, false),
            DataTypes.createStructField("p0", DataTypes.DoubleType, false)));

    @TempDir
    java.nio.file.Path dir;

    private static List<Row> rows(int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create((long) i * 1_000_000_007L, "dir, \"x\"/bild-ü-" + i + ".png", i % 10,
                    i == 0 ? Double.MIN_VALUE : 1.0 / (i + 3)));
        }
        return rows;
    }

    private static SparkSession spark() {
        return SparkSession.builder().sparkContext(TestSpark.context().sc()).getOrCreate();
    }

    private static List<Row> sorted(Dataset<Row> frame) {
        return frame.orderBy("index").collectAsList();
    }

    @Test
    void spark_reads_the_saved_partitions_as_the_rows_and_types_its_own_writer_would_give() throws IOException {
        JavaSparkContext sc = TestSpark.context();
        List<Row> rows = rows(500);
        Path ours = new Path(dir.resolve("ours").toUri());
        ParquetRows.save(sc.parallelize(rows, 3), SCHEMA, ours, sc.hadoopConfiguration());
        java.nio.file.Path spark = dir.resolve("spark");
        spark().createDataFrame(rows, SCHEMA).repartition(1).write().parquet(spark.toString());

        Dataset<Row> read = spark().read().parquet(ours.toString());
        assertEquals(spark().read().parquet(spark.toString()).schema(), read.schema());
        assertEquals(sorted(spark().read().parquet(spark.toString())), sorted(read));
        assertEquals(rows, sorted(read));

        try (Stream<java.nio.file.Path> files = Files.list(dir.resolve("ours"))) {
            List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertEquals(List.of("_SUCCESS", "part-r-00000.snappy.parquet", "part-r-00001.snappy.parquet",
                    "part-r-00002.snappy.parquet"), names.stream().filter(n -> !n.startsWith(".")).toList());
        }
        // the same Parquet schema as Spark's writer, and Spark's schema in the footer
        ParquetMetadata oursFooter = footer(new Path(ours, "part-r-00000.snappy.parquet"));
        ParquetMetadata sparkFooter;
        try (Stream<java.nio.file.Path> files = Files.list(spark)) {
            sparkFooter = footer(new Path(files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow().toUri()));
        }
        assertEquals(sparkFooter.getFileMetaData().getSchema(), oursFooter.getFileMetaData().getSchema());
        assertEquals(sparkFooter.getFileMetaData().getKeyValueMetaData().get(ParquetRows.SPARK_SCHEMA_METADATA),
                oursFooter.getFileMetaData().getKeyValueMetaData().get(ParquetRows.SPARK_SCHEMA_METADATA));
        assertEquals(org.apache.spark.package$.MODULE$.SPARK_VERSION(),
                oursFooter.getFileMetaData().getKeyValueMetaData().get(ParquetRows.SPARK_VERSION_METADATA));
        assertEquals("SNAPPY", oursFooter.getBlocks().get(0).getColumns().get(0).getCodec().name());
    }

    @Test
    void a_file_written_on_the_driver_holds_its_rows_and_an_empty_one_the_schema() throws IOException {
        Configuration hadoop = TestSpark.context().hadoopConfiguration();
        Path some = new Path(dir.resolve("some/part-00000.parquet").toUri());
        ParquetRows.writeFile(rows(7), SCHEMA, some, hadoop);
        assertEquals(rows(7), sorted(spark().read().parquet(some.toString())));

        Path none = new Path(dir.resolve("none/part-00000.parquet").toUri());
        ParquetRows.writeFile(List.of(), SCHEMA, none, hadoop);
        Dataset<Row> empty = spark().read().parquet(none.getParent().toString());
        assertEquals(0, empty.count());
        assertEquals(List.of("index", "path", "prediction", "p0"), List.of(empty.schema().fieldNames()));
        assertEquals(DataTypes.StringType, empty.schema().apply("path").dataType());
    }

    @Test
    void columns_it_cannot_write_are_named_before_anything_is_written() {
        StructType nullable = SCHEMA.add(new StructField("reason", DataTypes.StringType, true,
                org.apache.spark.sql.types.Metadata.empty()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParquetRows.save(
                TestSpark.context().parallelize(List.<Row>of(), 1), nullable, new Path(dir.resolve("n").toUri()),
                TestSpark.context().hadoopConfiguration()));
        assertTrue(e.getMessage().startsWith("reason: "), e.getMessage());
        StructType floats = DataTypes.createStructType(List.of(
                DataTypes.createStructField("f", DataTypes.FloatType, false)));
        e = assertThrows(IllegalArgumentException.class,
                () -> ParquetRows.writeFile(List.of(), floats, new Path(dir.resolve("f/x.parquet").toUri()),
                        TestSpark.context().hadoopConfiguration()));
        assertEquals("f: float columns are not written", e.getMessage());
        assertFalse(Files.exists(dir.resolve("n")));
        assertFalse(Files.exists(dir.resolve("f")));
    }

    private static ParquetMetadata footer(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(
                HadoopInputFile.fromPath(file, TestSpark.context().hadoopConfiguration()))) {
            return reader.getFooter();
        }
    }

    @Test
    void the_warm_up_writes_every_column_type_in_memory_and_no_file() throws IOException {
        java.nio.file.Path cwd = java.nio.file.Path.of("").toAbsolutePath();
        List<java.nio.file.Path> before;
        try (Stream<java.nio.file.Path> files = Files.list(cwd)) {
            before = files.sorted().toList();
        }
        ParquetRows.warmUp(ParquetRows.parquetText(SCHEMA)); // long, string, int and double columns
        try (Stream<java.nio.file.Path> files = Files.list(cwd)) {
            assertEquals(before, files.sorted().toList());
        }
        assertThrows(RuntimeException.class, () -> ParquetRows.warmUp("message broken {"));
    }
}
