package io.mnistspark.ml;

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
 * network is used by one thread at a time (DL4J networks are not thread-safe).
 */
final class NetworkPool {
    private static final int MAX_MODELS = 8;
    private static final Map<String, Deque<MultiLayerNetwork>> IDLE = new ConcurrentHashMap<>();

    private NetworkPool() {
    }

    static MultiLayerNetwork borrow(String key, Supplier<byte[]> modelBytes) {
        if (IDLE.size() > MAX_MODELS && !IDLE.containsKey(key)) {
            IDLE.clear();
        }
        MultiLayerNetwork idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).pollFirst();
        return idle != null ? idle : ModelStore.restore(modelBytes.get(), key);
    }

    static void giveBack(String key, MultiLayerNetwork network) {
        IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).offerFirst(network);
    }
}
