package io.mnistspark.evaluate;

import io.mnistspark.TestSpark;
import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import io.mnistspark.data.Batches;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.data.ImageBlocks;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.model.ModelStore;
import io.mnistspark.model.NetworkFactory;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executors' confusion matrix is DL4J's own evaluation of the written model, count for count. */
class EvaluatorTest {

    @ParameterizedTest(name = "fused layers: {0}")
    @ValueSource(booleans = {true, false})
    void confusionMatrixEqualsDl4jsEvaluationOfTheModelFile(boolean fused) {
        JavaSparkContext sc = TestSpark.context();
        LabeledImages images = IdxFixtures.learnable(2300, 6, 6, 5);
        RunConfig config = new ConfigLoader().override("network.hidden-layers", "[12]")
                .override("network.activation", "relu").override("network.output-activation", "softmax")
                .override("network.loss", "cross-entropy").override("network.weight-init", "relu")
                .override("training.fused-layers", Boolean.toString(fused))
                .override("training.updater", "adam").override("training.learning-rate", "0.01").load();
        MultiLayerNetwork network = NetworkFactory.create(config.network(), config.training(), 36, 10);
        for (int step = 0; step < 12; step++) { // partly trained: the predictions are neither random nor all right
            network.fit(Batches.toDataSet(images, null, (step * 50) % 2250, (step * 50) % 2250 + 50, 10));
        }
        try (ImageBlocks blocks = ImageBlocks.of(sc, images)) {
            EvaluationResult first = new Evaluator(10, 64).evaluate(sc, network, blocks);
            assertSameAsDl4j(network, images, first);
            assertTrue(first.accuracy() > 0.2 && first.accuracy() < 1, "partly trained: " + first.accuracy());
            // the same configuration with other parameters, a later epoch: the executors' pooled networks take them
            for (int step = 12; step < 24; step++) {
                network.fit(Batches.toDataSet(images, null, (step * 50) % 2250, (step * 50) % 2250 + 50, 10));
            }
            network.setEpochCount(3);
            EvaluationResult later = new Evaluator(10, 1000).evaluate(sc, network, blocks);
            assertSameAsDl4j(network, images, later);
            assertTrue(later.correct() != first.correct(), "the second evaluation saw the new parameters");
        }
    }

    private static void assertSameAsDl4j(MultiLayerNetwork network, LabeledImages images, EvaluationResult result) {
        // plain DL4J on the model file, one batch of everything
        MultiLayerNetwork plain = ModelStore.restore(ModelStore.bytes(network), "the test's model");
        DataSet all = Batches.toDataSet(images, null, 0, images.count(), 10);
        Evaluation expected = new Evaluation(10);
        expected.eval(all.getLabels(), plain.output(all.getFeatures(), false));
        long[][] confusion = result.confusion();
        for (int actual = 0; actual < 10; actual++) {
            long[] row = new long[10];
            for (int predicted = 0; predicted < 10; predicted++) {
                row[predicted] = expected.getConfusionMatrix().getCount(actual, predicted);
            }
            assertArrayEquals(row, confusion[actual], "label " + actual);
        }
        assertEquals(2300, result.total());
        assertEquals(expected.accuracy(), result.accuracy(), 1e-12);
    }
}
