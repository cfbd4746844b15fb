package io.mnistspark.model;

import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.NetworkSpec;
import io.mnistspark.config.RunConfig;
import org.junit.jupiter.api.Test;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link NetworkFactory#warmUp} and {@link NetworkFactory#startWarmUp}: no full collection, failures kept. */
class NetworkFactoryWarmUpTest {

    /** G1's, the parallel and the serial collector's old-generation collectors: the ones a full collection counts on. */
    private static boolean oldGeneration(GarbageCollectorMXBean gc) {
        return gc.getName().contains("Old") || gc.getName().contains("MarkSweep");
    }

    /** Full collections so far. */
    private static long fullCollections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().filter(NetworkFactoryWarmUpTest::oldGeneration)
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static RunConfig best() {
        return new ConfigLoader().file(Path.of("conf/best.conf")).load();
    }

    @Test
    void warmUpCollectsNoGarbageOfOtherThreads() {
        RunConfig config = best();
        NetworkFactory.warmUp(config.network(), config.training()); // ND4J and DL4J loaded: their start may collect
        assertTrue(ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(NetworkFactoryWarmUpTest::oldGeneration),
                "no old-generation collector found: the test would not see a full collection");
        long before = fullCollections();
        for (int i = 0; i < 3; i++) {
            NetworkFactory.warmUp(config.network(), config.training());
        }
        // MultiLayerNetwork.close() calls System.gc() twice: a full collection while the executors cache the data
        assertEquals(before, fullCollections(), "warmUp ran a full garbage collection");
    }

    @Test
    void startWarmUpFinishesAndItsAwaitCanBeCalledAgain() {
        RunConfig config = best();
        Runnable await = NetworkFactory.startWarmUp(config.network(), config.training());
        await.run();
        await.run();
    }

    @Test
    void startWarmUpRethrowsTheWarmUpsFailureWhereItIsAwaited() {
        RunConfig config = best();
        NetworkSpec noUnits = new NetworkSpec(List.of(0), config.network().activation(),
                config.network().outputActivation(), config.network().loss(), config.network().weightInit(),
                config.network().classes());
        RuntimeException direct = assertThrows(RuntimeException.class,
                () -> NetworkFactory.warmUp(noUnits, config.training()));
        Runnable await = NetworkFactory.startWarmUp(noUnits, config.training());
        RuntimeException awaited = assertThrows(RuntimeException.class, await::run);
        assertEquals(direct.getClass(), awaited.getClass());
        assertEquals(direct.getMessage(), awaited.getMessage());
    }
}
