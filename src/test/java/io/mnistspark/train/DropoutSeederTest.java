package io.mnistspark.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DropoutSeederTest {
    private final DropoutSeeder seeder = new DropoutSeeder(12345);

    /** The fast path is the wrapping 32-bit sum of the values' bit patterns, over chunks and a partial last one. */
    @Test
    void pixelBitsAreTheSumOfTheFloatBitPatterns() {
        INDArray pixels = Nd4j.rand(DataType.FLOAT, 3, 5000); // 15000 values: three whole chunks and part of a fourth
        int expected = 0;
        for (float value : pixels.data().asFloat()) {
            expected += Float.floatToRawIntBits(value);
        }
        assertEquals(expected, seeder.pixelBits(pixels));
    }

    @Test
    void theSameMiniBatchGetsTheSameSeedAndAnotherOneAnother() {
        INDArray pixels = Nd4j.rand(DataType.FLOAT, 100, 784);
        INDArray copy = pixels.dup();
        assertEquals(seeder.seedFor(seeder.pixelBits(pixels)), seeder.seedFor(seeder.pixelBits(copy)));

        copy.putScalar(99, 783, copy.getFloat(99, 783) + 0.5f);
        assertNotEquals(seeder.seedFor(seeder.pixelBits(pixels)), seeder.seedFor(seeder.pixelBits(copy)));
        assertNotEquals(seeder.seedFor(seeder.pixelBits(pixels)),
                new DropoutSeeder(1).seedFor(seeder.pixelBits(pixels)), "the training seed counts too");
    }

    /** Column-major or double pixels, or rows of a larger array, take ND4J's sum: still one seed per content. */
    @Test
    void otherLayoutsAndTypesAreSeededFromNd4jsSum() {
        INDArray rows = Nd4j.rand(DataType.FLOAT, 6, 5).get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
        assertEquals(Double.doubleToLongBits(rows.sumNumber().doubleValue()), seeder.pixelBits(rows));
        INDArray rowMajor = Nd4j.rand(DataType.FLOAT, 4, 6);
        INDArray columnMajor = rowMajor.dup('f');
        assertEquals(Double.doubleToLongBits(columnMajor.sumNumber().doubleValue()), seeder.pixelBits(columnMajor));
        INDArray doubles = rowMajor.castTo(DataType.DOUBLE);
        assertEquals(Double.doubleToLongBits(doubles.sumNumber().doubleValue()), seeder.pixelBits(doubles));
    }

    /** What the dropout masks come from: the thread's generator, seeded alike for the same mini-batch. */
    @Test
    void seedsTheThreadsGeneratorFromTheMiniBatch() {
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 10, 784), Nd4j.zeros(DataType.FLOAT, 10, 10));
        seeder.preUpdate(batch, null);
        long first = Nd4j.getRandom().nextLong();
        Nd4j.getRandom().nextLong();
        seeder.preUpdate(batch, null);
        assertEquals(first, Nd4j.getRandom().nextLong());
    }
}
