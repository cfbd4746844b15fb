package io.mnistspark.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class BatchesTest {
    @Test
    void rowMajorGivesTheValuesRowByRowWhateverTheLayout() {
        float[] values = {1, 2, 3, 4, 5, 6};
        INDArray c = Batches.matrix(values, 2, 3);
        assertArrayEquals(values, Batches.rowMajor(c));
        assertArrayEquals(values, Batches.rowMajor(c.dup('f')), "a column-major copy");
        INDArray wide = Nd4j.create(new float[]{0, 1, 2, 3, 9, 0, 4, 5, 6, 9}, new long[]{2, 5}, DataType.FLOAT);
        assertArrayEquals(values, Batches.rowMajor(wide.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4))),
                "a view of the middle columns");
        assertArrayEquals(new float[]{4, 5, 6}, Batches.rowMajor(c.getRow(1, true)), "a view of one row");
    }
}
