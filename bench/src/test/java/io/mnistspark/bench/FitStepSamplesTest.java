package io.mnistspark.bench;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FitStepSamplesTest {
    @Test
    void samplesOfNd4jWorkAreSortedIntoCostsThatAddUpToAll() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 200, 300);
        INDArray b = Nd4j.rand(DataType.FLOAT, 300, 200);
        FitStepSamples samples = FitStepSamples.record(() -> {
            long end = System.nanoTime() + 600_000_000L;
            while (System.nanoTime() < end) {
                a.mmul(b).addi(1f); // a product, a new array for it, and an element-wise op
            }
        });
        assertTrue(samples.total() > 50, "samples: " + samples.total());
        double sum = Arrays.stream(FitStepSamples.Cost.values()).mapToDouble(samples::share).sum();
        assertEquals(1.0, sum, 1e-9);
        assertTrue(samples.share(FitStepSamples.Cost.MATRIX_PRODUCTS) > 0.2,
                "200x300x200 products should dominate: " + samples.share(FitStepSamples.Cost.MATRIX_PRODUCTS));
    }
}
