package io.mnistspark.train;

import org.apache.spark.SparkEnv;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.Serializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.cpu.nativecpu.NDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An ND4J array that Java serialization writes as one block of raw bytes. ND4J writes an array one element
 * at a time ({@code writeFloat} per value, and reads each back through a boxed {@code Number}): for the
 * parameters and Adam state that parameter averaging moves every round (best.conf: 3.8 million floats, 15.5 MB
 * per worker and round) that took 35-40 ms to write and 40-75 ms to read. This shares the original array's
 * memory (nothing is copied until it is written) and comes back from a stream as a plain ND4J array with the
 * same shape, order, type and values, bit for bit.
 */
final class BulkSerializedArray extends NDArray {
    private static final long serialVersionUID = 1L;

    private BulkSerializedArray(INDArray array) {
        super(array.data(), array.shape(), array.stride(), 0, array.ordering(), array.dataType());
    }

    /**
     * {@code array} as one that serializes in bulk, or {@code array} itself when it cannot: null, a view
     * (ND4J copies those before writing), an array that does not span its whole buffer or whose strides are not
     * its shape's own in its order (a permuted one), or one of a type without a fixed width.
     */
    static INDArray of(INDArray array) {
        if (array == null || array instanceof BulkSerializedArray || array.isView() || array.isEmpty()
                || array.offset() != 0 || array.data().offset() != 0 || array.length() != array.data().length()
                || (array.ordering() != 'c' && array.ordering() != 'f')
                || !Arrays.equals(array.stride(), Nd4j.getStrides(array.shape(), array.ordering()))
                || array.dataType() == DataType.UTF8 || array.dataType() == DataType.COMPRESSED
                || array.length() * array.dataType().width() > Integer.MAX_VALUE) {
            return array;
        }
        return new BulkSerializedArray(array);
    }

    /**
     * Whether Spark's data serializer, which writes broadcasts and task results, is Java serialization: the only
     * one that honours the bulk form. Kryo (nd4j-kryo's registrator names ND4J's own array class) would write
     * this subclass field by field, and its fields are transient. True outside Spark.
     */
    static boolean usableWith(Serializer serializer) {
        return serializer == null || serializer instanceof JavaSerializer;
    }

    /** {@link #of}, when this JVM's Spark serializes with Java serialization ({@link #usableWith}); else {@code array}. */
    static INDArray forSpark(INDArray array) {
        SparkEnv env = SparkEnv.get();
        return usableWith(env == null ? null : env.serializer()) ? of(array) : array;
    }

    @Serial
    private Object writeReplace() {
        return new Bytes(this);
    }

    /** What goes into the stream: shape, order, type and the buffer's bytes. */
    private static final class Bytes implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private static final int CHUNK = 1 << 16;

        private transient INDArray array;

        Bytes(INDArray array) {
            this.array = array;
        }

        @Serial
        private void writeObject(ObjectOutputStream out) throws IOException {
            out.writeObject(array.shape());
            out.writeChar(array.ordering());
            out.writeUTF(array.dataType().name());
            out.writeBoolean(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
            ByteBuffer bytes = array.data().asNio();
            int total = (int) (array.length() * array.dataType().width());
            out.writeInt(total);
            byte[] chunk = new byte[Math.min(CHUNK, total)];
            for (int done = 0; done < total; done += chunk.length) {
                int n = Math.min(chunk.length, total - done);
                bytes.get(done, chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            long[] shape = (long[]) in.readObject();
            char order = in.readChar();
            DataType type = DataType.valueOf(in.readUTF());
            ByteOrder written = in.readBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            if (written != ByteOrder.nativeOrder()) {
                throw new InvalidObjectException("an ND4J array was written on a " + written + " machine and cannot be "
                        + "read on this " + ByteOrder.nativeOrder() + " one: run the driver and executors on one kind of CPU");
            }
            int total = in.readInt();
            INDArray read = Nd4j.createUninitializedDetached(type, order, shape);
            if ((long) total != read.length() * type.width()) {
                throw new InvalidObjectException("an array of shape " + Arrays.toString(shape) + " and type "
                        + type + " cannot hold " + total + " bytes");
            }
            ByteBuffer target = read.data().asNio();
            byte[] chunk = new byte[Math.min(CHUNK, total)];
            for (int done = 0; done < total; done += chunk.length) {
                int n = Math.min(chunk.length, total - done);
                in.readFully(chunk, 0, n);
                target.put(done, chunk, 0, n);
            }
            array = read;
        }

        @Serial
        private Object readResolve() {
            return array;
        }
    }
}
