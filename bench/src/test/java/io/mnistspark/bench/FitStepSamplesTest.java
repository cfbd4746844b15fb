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
        // 0.25 GFLOP a product into a preallocated array, so that the products keep a large share however fast
        // the BLAS kernels are (with OpenBLAS's SkylakeX kernels a 200x300x200 product with a new result array
        // fell to 17% of the samples, behind the allocations)
        INDArray a = Nd4j.rand(DataType.FLOAT, 500, 500);
        INDArray b = Nd4j.rand(DataType.FLOAT, 500, 500);
        INDArray c = Nd4j.create(DataType.FLOAT, 500, 500);
        FitStepSamples samples = FitStepSamples.record(() -> {
            long end = System.nanoTime() + 600_000_000L;
            while (System.nanoTime() < end) {
                a.mmuli(b, c).addi(1f); // a product and an element-wise op
            }
        });
        assertTrue(samples.total() > 50, "samples: " + samples.total());
        double sum = Arrays.stream(FitStepSamples.Cost.values()).mapToDouble(samples::share).sum();
        assertEquals(1.0, sum, 1e-9);
        assertTrue(samples.share(FitStepSamples.Cost.MATRIX_PRODUCTS) > 0.2,
                "500x500x500 products should take a large share: " + samples.share(FitStepSamples.Cost.MATRIX_PRODUCTS));
    }
}
