package io.mnistspark.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/**
 * The networks rebuilt in this JVM (an executor, or the driver) from what a job broadcast (a model file's bytes
 * for scoring, a configuration for evaluation), kept for the next task: a network is rebuilt only when every
 * copy under its key is in use by another task thread. A network is used by one thread at a time (DL4J
 * networks are not thread-safe), with its {@link DenseForward}.
 */
public final class NetworkPool {
    private static final int MAX_MODELS = 8;
    private static final Map<String, Deque<Pooled>> IDLE = new ConcurrentHashMap<>();

    private NetworkPool() {
    }

    /** An idle network under {@code key}, or a new one from {@code build}; give it back when done. */
    public static Pooled borrow(String key, Supplier<MultiLayerNetwork> build) {
        if (IDLE.size() > MAX_MODELS && !IDLE.containsKey(key)) {
            IDLE.clear();
        }
        Pooled idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).pollFirst();
        return idle != null ? idle : new Pooled(build.get());
    }

    public static void giveBack(String key, Pooled network) {
        IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).offerFirst(network);
    }

    /** A rebuilt network and its forward pass (null when DL4J's {@code output} has to run it). */
    public record Pooled(MultiLayerNetwork network, DenseForward forward) {
        Pooled(MultiLayerNetwork network) {
            this(network, DenseForward.of(network));
        }

        /**
         * The network's outputs for the first {@code n} rows of {@code inputs} ({@code n x numFeatures} values),
         * row by row in one array: DL4J's numbers, bit for bit, from the {@link DenseForward} when there is one,
         * else from DL4J's {@code output}.
         */
        public float[] outputs(float[] inputs, int n, int numFeatures) {
            if (forward != null) {
                return forward.output(inputs, n);
            }
            // one bulk copy into native memory (Nd4j.create(float[]) copies value by value)
            INDArray input = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n, numFeatures}, 'c');
            input.data().asNioFloat().put(inputs, 0, n * numFeatures);
            INDArray output = network.output(input, false);
            float[] result = io.mnistspark.data.Batches.rowMajor(output); // and one bulk copy out
            input.close();
            output.close();
            return result;
        }
    }
}
