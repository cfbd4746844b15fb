package io.mnistspark.train;

import io.mnistspark.TestSpark;
import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import io.mnistspark.data.IdxFile;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.data.MiniBatches;
import io.mnistspark.model.NetworkFactory;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * With one worker, parameter averaging on Spark is plain SGD: the distributed run and a single-process
 * DL4J fit on the same mini-batches in the same order end with identical parameters (DL4J's own test
 * pattern, TestCompareParameterAveragingSparkVsSingleMachine).
 */
class SingleWorkerEquivalenceTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void oneWorkerOnSparkEqualsSingleProcessFit() {
        LabeledImages train = IdxFixtures.learnable(400, 8, 8, 3);
        LabeledImages test = IdxFixtures.learnable(50, 8, 8, 4);
        RunConfig config = new ConfigLoader()
                .override("network.hidden-layers", "[16]")
                .override("training.learning-rate", "0.5")
                .override("training.epochs", "2")
                .override("spark.workers", "1")
                // one averaging split per epoch: all 40 mini-batches run in order on the one worker
                .override("spark.averaging-frequency", "1000")
                .load();
        int batch = config.training().batchSize();

        TrainingOutcome spark;
        try (TrainingData data = new TrainingData(MiniBatches.distribute(TestSpark.context(), train, 1), null,
                MiniBatches.distribute(TestSpark.context(), test, 1), train.pixelsPerImage())) {
            spark = new DistributedTrainer(TestSpark.context(), config, new Path(dir.toUri()))
                    .train(data, (result, total) -> { });
        }

        MultiLayerNetwork single = NetworkFactory.create(config.network(), config.training(),
                train.pixelsPerImage(), IdxFile.CLASSES);
        float[] initial = single.params().toFloatVector();
        for (int epoch = 1; epoch <= config.training().epochs(); epoch++) {
            List<DataSet> batches = list(MiniBatches.shuffledBatches(train, config.training().seed(), epoch, 0, batch));
            assertEquals(40, batches.size());
            for (DataSet ds : batches) {
                single.fit(ds);
            }
        }

        float[] expected = single.params().toFloatVector();
        assertFalse(java.util.Arrays.equals(initial, expected), "training must change the parameters");
        assertArrayEquals(expected, spark.network().params().toFloatVector());
        assertEquals(2, spark.history().size());
    }

    @Test
    void epochsShuffleDifferentlyButRepeatably() {
        LabeledImages images = IdxFixtures.learnable(30, 4, 4, 5);
        List<Integer> first = labels(list(MiniBatches.shuffledBatches(images, 1, 1, 0, 30)));
        assertEquals(first, labels(list(MiniBatches.shuffledBatches(images, 1, 1, 0, 30))));
        assertFalse(first.equals(labels(list(MiniBatches.shuffledBatches(images, 1, 2, 0, 30)))));
        List<Integer> sorted = new ArrayList<>(first);
        sorted.sort(Integer::compare);
        List<Integer> original = new ArrayList<>();
        for (int i = 0; i < images.count(); i++) {
            original.add(images.label(i));
        }
        original.sort(Integer::compare);
        assertEquals(original, sorted, "a permutation of the same images");
    }

    private static List<DataSet> list(java.util.Iterator<DataSet> batches) {
        List<DataSet> list = new ArrayList<>();
        batches.forEachRemaining(list::add);
        return list;
    }

    private static List<Integer> labels(List<DataSet> batches) {
        List<Integer> labels = new ArrayList<>();
        for (DataSet ds : batches) {
            for (int r = 0; r < ds.numExamples(); r++) {
                labels.add(ds.getLabels().getRow(r).argMax().getInt(0));
            }
        }
        return labels;
    }
}
