package io.mnistspark.data;

import io.mnistspark.TestSpark;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MiniBatchesTest {
    @Test
    void distributesEveryImageOnceInBatchesOfTheConfiguredSize() {
        LabeledImages images = IdxFixtures.learnable(2500, 4, 4, 9);
        try (MiniBatches batches = MiniBatches.distribute(TestSpark.context(), images, 2)) {
            assertEquals(2, batches.epoch(1, 1, 10).getNumPartitions());
            List<DataSet> epoch = batches.epoch(1, 1, 10).collect();
            assertEquals(2500, epoch.stream().mapToInt(DataSet::numExamples).sum());
            assertEquals(10, epoch.get(0).numExamples());
            assertEquals(16, epoch.get(0).getFeatures().columns());

            List<DataSet> ordered = batches.inOrder(1000).collect();
            assertEquals(2500, ordered.stream().mapToInt(DataSet::numExamples).sum());
            // the features are pixel / 255 and the labels one-hot
            DataSet first = ordered.get(0);
            assertEquals(images.pixel(0, 3) / 255f, first.getFeatures().getFloat(0, 3), 0f);
            assertEquals(1f, first.getLabels().getFloat(0, images.label(0)), 0f);
            assertEquals(1f, first.getLabels().getRow(0).sumNumber().floatValue(), 0f);
        }
    }

    @Test
    void bulkFilledBatchesHoldEveryPixelAndLabelOfTheirImagesInOrder() {
        LabeledImages images = IdxFixtures.learnable(37, 28, 28, 5);
        int[] order = new int[37];
        for (int i = 0; i < order.length; i++) {
            order[i] = (i * 11) % 37;
        }
        DataSet batch = MiniBatches.toDataSet(images, order, 3, 13);
        float[][] features = batch.getFeatures().toFloatMatrix();
        float[][] labels = batch.getLabels().toFloatMatrix();
        assertEquals(10, features.length);
        for (int r = 0; r < 10; r++) {
            int index = order[3 + r];
            for (int p = 0; p < 784; p++) {
                assertEquals(images.pixel(index, p) / 255f, features[r][p], 0f);
            }
            for (int digit = 0; digit < 10; digit++) {
                assertEquals(digit == images.label(index) ? 1f : 0f, labels[r][digit], 0f);
            }
        }
    }
}
