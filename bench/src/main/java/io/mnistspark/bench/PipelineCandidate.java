package io.mnistspark.bench;

import io.mnistspark.cli.SparkRuntime;
import io.mnistspark.config.RunConfig;
import io.mnistspark.data.MnistDataset;
import io.mnistspark.ml.DenseNetClassifier;
import io.mnistspark.model.NetworkFactory;
import io.mnistspark.train.DistributedTrainer;
import io.mnistspark.train.TrainingData;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** This project's pipeline: dl4j-spark parameter averaging, through the same classifier entry point as {@code train}. */
final class PipelineCandidate {
    private PipelineCandidate() {
    }

    static BenchRun run(RunConfig config, String configName, Path data) throws IOException {
        java.nio.file.Path scratch = Files.createTempDirectory("bench-train");
        Runnable warmedUp = NetworkFactory.startWarmUp(config.network(), config.training()); // as train does
        try (SparkRuntime spark = SparkRuntime.start("mnist-spark bench", config.spark().workers(), false)) {
            JavaSparkContext sc = spark.context();
            double startup = ProcessFacts.wallSeconds();
            long setupStart = System.nanoTime();
            MnistDataset dataset = MnistDataset.open(data, sc.hadoopConfiguration());
            int workers = DistributedTrainer.workers(sc, config);
            List<BenchRun.Epoch> epochs = new ArrayList<>();
            try (TrainingData distributed = TrainingData.read(sc, dataset,
                    config.training().validationCount(dataset.train().count()), config.network().classes(),
                    warmedUp)) {
                double setup = ProcessFacts.secondsSince(setupStart);
                double[] cpuAtEpochEnd = {ProcessFacts.cpuSeconds()};
                // CPU time of the whole epoch (fit and evaluation: the trainer does not report them apart)
                DenseNetClassifier.fromConfig(config).trainOn(sc, distributed, new Path(scratch.toUri()), (result, total) -> {
                    double cpu = ProcessFacts.cpuSeconds();
                    epochs.add(new BenchRun.Epoch(result.epoch(), result.seconds(), cpu - cpuAtEpochEnd[0],
                            result.evaluationSeconds(), result.testAccuracy(), ProcessFacts.wallSeconds()));
                    cpuAtEpochEnd[0] = cpu;
                });
                return new BenchRun("pipeline", configName, data.toString(), workers, (int) distributed.train().count(),
                        startup, setup, epochs, ProcessFacts.peakRssMb(), ProcessFacts.loadAverage());
            }
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(scratch.toFile());
        }
    }
}
