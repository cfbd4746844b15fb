package io.mnistspark.train;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementAddFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BulkSerializedArrayTest {

    @Test
    void comesBackAsAPlainArrayWithTheSameShapeOrderTypeAndBits() throws Exception {
        for (char order : new char[]{'c', 'f'}) {
            for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE, DataType.INT}) {
                INDArray original = Nd4j.rand(DataType.DOUBLE, order, 7, 13).muli(1000).castTo(type);
                INDArray bulk = BulkSerializedArray.of(original);
                assertInstanceOf(BulkSerializedArray.class, bulk);

                INDArray back = (INDArray) roundTrip(bulk);

                assertFalse(back instanceof BulkSerializedArray, "a plain ND4J array after reading");
                assertArrayEquals(original.shape(), back.shape());
                assertEquals(order, back.ordering());
                assertEquals(type, back.dataType());
                assertEquals(original, back);
                if (type == DataType.FLOAT) {
                    assertArrayEquals(original.dup('c').data().asFloat(), back.dup('c').data().asFloat(), 0f);
                }
            }
        }
    }

    @Test
    void sharesTheOriginalsMemoryUntilItIsWritten() throws Exception {
        INDArray original = Nd4j.zeros(DataType.FLOAT, 1, 1000);
        INDArray bulk = BulkSerializedArray.of(original);
        original.putScalar(0, 999, 42f);

        assertEquals(42f, bulk.getFloat(0, 999));
        assertEquals(42f, ((INDArray) roundTrip(bulk)).getFloat(0, 999));
    }

    /** The stream holds the bulk form (its own class and the raw bytes), not ND4J's array class and its per-value form. */
    @Test
    void writesTheValuesAsOneBlockOfBytes() throws Exception {
        INDArray original = Nd4j.rand(DataType.FLOAT, 1, 250_000);
        byte[] stream = serialize(BulkSerializedArray.of(original));
        String text = new String(stream, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(BulkSerializedArray.class.getName() + "$Bytes"));
        assertFalse(text.contains("org.nd4j.linalg.cpu.nativecpu.NDArray"));
        // the values, Java serialization's block headers (5 bytes every 1024) and a small header of its own
        assertTrue(stream.length >= 1_000_000 && stream.length < 1_010_000, "stream of " + stream.length + " bytes");
    }

    @Test
    void leavesWhatItCannotWriteInBulkToNd4j() {
        INDArray matrix = Nd4j.rand(DataType.FLOAT, 4, 5);
        INDArray view = matrix.getRow(1);
        assertSame(view, BulkSerializedArray.of(view));
        // the whole buffer from offset 0, but strides of its own, which the bulk form does not record
        INDArray permuted = Nd4j.rand(DataType.FLOAT, 2, 3, 4).permute(1, 0, 2);
        assertSame(permuted, BulkSerializedArray.of(permuted));
        assertNull(BulkSerializedArray.of(null));
        INDArray bulk = BulkSerializedArray.of(matrix);
        assertSame(bulk, BulkSerializedArray.of(bulk));
    }

    /**
     * A worker's result as the driver reads it: what a task sends is DL4J's aggregation of its results (the
     * worker's result itself is not serializable), with the parameters and updater state as written.
     */
    @Test
    void aWorkersResultKeepsItsParametersUpdaterStateAndScore() throws Exception {
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, 300);
        INDArray updater = Nd4j.rand(DataType.FLOAT, 1, 600);
        ParameterAveragingTrainingResult result = FusedTrainingWorker.bulk(
                new ParameterAveragingTrainingResult(params, updater, 0.25, null, null, null));
        assertInstanceOf(BulkSerializedArray.class, result.getParameters());
        assertInstanceOf(BulkSerializedArray.class, result.getUpdaterState());

        ParameterAveragingAggregationTuple sent = new ParameterAveragingElementAddFunction().call(null, result);

        ParameterAveragingAggregationTuple back = (ParameterAveragingAggregationTuple) roundTrip(sent);

        assertNotSame(params, back.getParametersSum());
        assertEquals(params, back.getParametersSum());
        assertEquals(updater, back.getUpdaterStateSum());
        assertEquals(0.25, back.getScoreSum());
        assertEquals(1, back.getAggregationsCount());
    }

    /** Only Java serialization honours the bulk form: under Kryo the arrays stay ND4J's own. */
    @Test
    void onlyUnderSparksJavaSerialization() {
        SparkConf conf = new SparkConf();
        assertTrue(BulkSerializedArray.usableWith(new JavaSerializer(conf)));
        assertFalse(BulkSerializedArray.usableWith(new KryoSerializer(conf)));
        assertTrue(BulkSerializedArray.usableWith(null), "outside Spark");
    }

    private static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static Serializable roundTrip(Object value) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(value)))) {
            return (Serializable) in.readObject();
        }
    }
}
