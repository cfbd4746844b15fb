package io.mnistspark.data;

import io.mnistspark.TestSpark;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpochPlanTest {
    /** Images whose first pixel is their index mod 251 and whose label is their index mod 10: traceable. */
    private static List<LabeledImages> blocks(int images) {
        List<LabeledImages> blocks = new ArrayList<>();
        for (int from = 0; from < images; from += ImageBlocks.BLOCK_IMAGES) {
            int n = Math.min(ImageBlocks.BLOCK_IMAGES, images - from);
            byte[] pixels = new byte[n * 4];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                pixels[i * 4] = (byte) ((from + i) % 251);
                pixels[i * 4 + 1] = (byte) ((from + i) / 251);
                labels[i] = (byte) ((from + i) % 10);
            }
            blocks.add(new LabeledImages(2, 2, pixels, labels));
        }
        return blocks;
    }

    private static int[] counts(List<LabeledImages> blocks) {
        return blocks.stream().mapToInt(LabeledImages::count).toArray();
    }

    /** Image indexes of the batches, decoded from the first two pixels. */
    private static List<Integer> indexes(List<DataSet> batches) {
        List<Integer> out = new ArrayList<>();
        for (DataSet ds : batches) {
            float[][] f = ds.getFeatures().toFloatMatrix();
            for (float[] row : f) {
                out.add(Math.round(row[0] * 255) + 251 * Math.round(row[1] * 255));
            }
        }
        return out;
    }

    @Test
    void everyImageOnceAnEpochInRoundsOfAtMostTheAveragingFrequency() {
        List<LabeledImages> blocks = blocks(4500);
        EpochPlan plan = EpochPlan.of("t", counts(blocks), 7, 3, 2, 10, 7, 200);
        assertEquals(2, plan.workers());
        assertTrue(Math.abs(plan.imagesOf(0) - plan.imagesOf(1)) <= ImageBlocks.BLOCK_IMAGES, "dealt within a block");
        List<Integer> seen = new ArrayList<>();
        long batches = 0;
        for (int w = 0; w < 2; w++) {
            List<DataSet> mine = plan.localBatches(blocks, w, 10);
            seen.addAll(indexes(mine));
            batches += mine.size();
            for (int i = 0; i < mine.size() - 1; i++) {
                assertEquals(10, mine.get(i).numExamples(), "full batches but the worker's last");
            }
        }
        long planned = 0;
        for (int r = 0; r < plan.rounds(); r++) {
            planned += plan.batchesIn(r);
            assertTrue(plan.batchesIn(r) <= 2 * 7, "at most averaging-frequency batches a worker a round");
        }
        assertEquals(batches, planned);
        List<Integer> sorted = new ArrayList<>(seen);
        sorted.sort(Integer::compare);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 4500; i++) {
            all.add(i);
        }
        assertEquals(all, sorted, "each image exactly once");
        assertNotEquals(all, seen, "shuffled");
    }

    @Test
    void aWindowAsLargeAsTheDataIsAFullShuffleThatChangesEveryEpoch() {
        List<LabeledImages> blocks = blocks(2500);
        List<Integer> first = indexes(EpochPlan.of("t", counts(blocks), 1, 1, 1, 10, 1000, 60000).localBatches(blocks, 0, 10));
        List<Integer> again = indexes(EpochPlan.of("t", counts(blocks), 1, 1, 1, 10, 1000, 60000).localBatches(blocks, 0, 10));
        List<Integer> second = indexes(EpochPlan.of("t", counts(blocks), 1, 2, 1, 10, 1000, 60000).localBatches(blocks, 0, 10));
        assertEquals(first, again);
        assertNotEquals(first, second);
        // a full shuffle mixes the blocks: the first 100 images come from more than one block
        assertTrue(first.subList(0, 100).stream().map(i -> i / 1000).distinct().count() > 1);
    }

    @Test
    void theExecutorsBuildTheRoundsTheDriverPlans() {
        List<LabeledImages> blocks = blocks(3300);
        LabeledImages all = LabeledImages.concat(blocks);
        try (ImageBlocks distributed = ImageBlocks.of(TestSpark.context(), all)) {
            EpochPlan plan = EpochPlan.of("spark-" + distributed.rdd().id(), distributed.blockCounts(), 5, 2, 2, 10, 20, 500);
            List<List<Integer>> onSpark = new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>()));
            for (int r = 0; r < plan.rounds(); r++) {
                List<List<DataSet>> parts = plan.round(distributed, r, 10).glom().collect();
                assertEquals(2, parts.size(), "one partition per worker");
                for (int w = 0; w < 2; w++) {
                    onSpark.get(w).addAll(indexes(parts.get(w)));
                }
            }
            EpochPlan local = EpochPlan.of("driver", distributed.blockCounts(), 5, 2, 2, 10, 20, 500);
            for (int w = 0; w < 2; w++) {
                assertEquals(indexes(local.localBatches(blocks, w, 10)), onSpark.get(w), "worker " + w);
            }
            DataSet batch = plan.round(distributed, 0, 10).first();
            int index = indexes(List.of(batch)).get(0);
            float[] labels = batch.getLabels().getRow(0).toFloatVector();
            assertArrayEquals(oneHot(index % 10), labels);
        }
    }

    private static float[] oneHot(int label) {
        float[] v = new float[10];
        v[label] = 1f;
        return v;
    }

    /** Reused arrays hold, batch by batch, what fresh arrays would; their slots come round again. */
    @Test
    void reusedBatchArraysHoldTheSameMiniBatches() {
        List<LabeledImages> blocks = blocks(1234);
        EpochPlan fresh = EpochPlan.of("r", counts(blocks), 11, 2, 1, 10, 1000, 200);
        EpochPlan reusing = EpochPlan.of("r", counts(blocks), 11, 2, 1, 10, 1000, 200).reusingBatchArrays(true);
        java.util.Iterator<DataSet> expected = fresh.batches(0, 0, blocks.iterator(), 10);
        java.util.Iterator<DataSet> actual = reusing.batches(0, 0, blocks.iterator(), 10);
        List<org.nd4j.linalg.api.ndarray.INDArray> arrays = new ArrayList<>();
        int batches = 0;
        while (expected.hasNext()) {
            DataSet want = expected.next();
            DataSet got = actual.next();
            assertEquals(want.getFeatures(), got.getFeatures(), "batch " + batches);
            assertEquals(want.getLabels(), got.getLabels(), "batch " + batches);
            arrays.add(got.getFeatures());
            batches++;
        }
        assertTrue(!actual.hasNext());
        assertEquals(124, batches);
        assertTrue(arrays.get(0) == arrays.get(BatchArrays.SLOTS), "the first slot is filled again");
        assertTrue(arrays.get(0) != arrays.get(1));
        assertEquals(4, arrays.get(batches - 1).size(0), "the last, smaller batch gets arrays of its own");
        assertEquals(fresh.localBatches(blocks, 0, 10).size(), reusing.localBatches(blocks, 0, 10).size());
        assertTrue(reusing.localBatches(blocks, 0, 10).stream().map(DataSet::getFeatures).distinct().count() == 124,
                "the driver's copies never share arrays");
    }
}
