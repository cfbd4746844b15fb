package io.mnistspark.ml;

import io.mnistspark.model.DenseForward;
import io.mnistspark.model.ModelStore;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/**
 * The networks rebuilt from a broadcast model in this JVM (an executor, or the driver), kept for the next
 * task: a network is rebuilt from the model bytes only when every copy is in use by another task thread. A
 * network is used by one thread at a time (DL4J networks are not thread-safe), with its {@link DenseForward}.
 */
final class NetworkPool {
    private static final int MAX_MODELS = 8;
    private static final Map<String, Deque<Pooled>> IDLE = new ConcurrentHashMap<>();

    private NetworkPool() {
    }

    static Pooled borrow(String key, Supplier<byte[]> modelBytes) {
        if (IDLE.size() > MAX_MODELS && !IDLE.containsKey(key)) {
            IDLE.clear();
        }
        Pooled idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).pollFirst();
        return idle != null ? idle : new Pooled(ModelStore.restore(modelBytes.get(), key));
    }

    static void giveBack(String key, Pooled network) {
        IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).offerFirst(network);
    }

    /** A rebuilt network and its forward pass (null when DL4J's {@code output} has to run it). */
    record Pooled(MultiLayerNetwork network, DenseForward forward) {
        Pooled(MultiLayerNetwork network) {
            this(network, DenseForward.of(network));
        }
    }
}
