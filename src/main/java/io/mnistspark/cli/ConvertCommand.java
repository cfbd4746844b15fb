package io.mnistspark.cli;

import io.mnistspark.data.IdxPair;
import io.mnistspark.data.ImageBlocks;
import io.mnistspark.data.MnistDataset;
import io.mnistspark.data.ParquetImages;
import io.mnistspark.store.RunDirectory;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code convert}: an MNIST-format directory as Parquet ({@code OUT/train/}, {@code OUT/test/}: label, image),
 * read and written by the executors.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Write an MNIST-format directory as Parquet datasets OUT/train/ and OUT/test/ (columns label: int, "
                + "image: rows x columns bytes), read and written by the executors; train --data OUT reads them.")
final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "MNIST-format directory (the four IDX files, gzip or raw; any Hadoop URI every executor can reach).")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (any Hadoop URI).")
    String out;

    @Option(names = "--overwrite", description = "Replace an existing --out directory.")
    boolean overwrite;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    Main main;

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (SparkRuntime spark = SparkRuntime.start("mnist-spark convert", 0, main.verbose)) {
            JavaSparkContext sc = spark.context();
            SparkSession session = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
            MnistDataset dataset = MnistDataset.open(new Path(data), sc.hadoopConfiguration());
            RunDirectory run = RunDirectory.open(new Path(out), sc.hadoopConfiguration(), overwrite);
            try {
                write(sc, session, dataset.train(), run.staged(ParquetImages.TRAIN));
                write(sc, session, dataset.test(), run.staged(ParquetImages.TEST));
                run.commit();
            } catch (Exception | Error e) {
                run.abort();
                throw e;
            }
            console.printf(Locale.ROOT, "Wrote %d training and %d test images of %dx%d as Parquet to %s in %.1f s%n",
                    dataset.train().count(), dataset.test().count(), dataset.train().rows(), dataset.train().columns(),
                    run.root(), (System.nanoTime() - start) / 1e9);
            return Main.OK;
        }
    }

    private static void write(JavaSparkContext sc, SparkSession session, IdxPair pair, Path target) {
        try (ImageBlocks blocks = ImageBlocks.readIdx(sc, pair, new long[]{0}, new long[]{pair.count()}).get(0)) {
            blocks.awaitCached(); // a gzip file's problems fail before the Parquet write starts
            ParquetImages.rows(session, blocks).write().parquet(target.toString());
        }
    }
}
