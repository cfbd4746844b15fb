package io.mnistspark.train;

import io.mnistspark.config.CheckpointSpec;
import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import io.mnistspark.model.NetworkFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointsTest {
    @TempDir
    java.nio.file.Path dir;

    private static MultiLayerNetwork network() {
        RunConfig config = new ConfigLoader().override("network.hidden-layers", "[4]")
                .override("training.updater", "adam").load();
        return NetworkFactory.create(config.network(), config.training(), 12, 10);
    }

    private static EpochResult epoch(int n) {
        return new EpochResult(n, 1.0 / n, null, 0.5, 1, 2, 1.5, 0.5);
    }

    @Test
    void newestIsTheNewestCompleteCheckpointAndOnlyTheNewestAreKept() throws IOException {
        Checkpoints checkpoints = new Checkpoints(new Path(dir.toUri()), new Configuration());
        EpochCheckpointer writer = checkpoints.writer(new CheckpointSpec(2, 2), "training.epochs = 7", "file:/data");
        MultiLayerNetwork net = network();
        net.getUpdater().getStateViewArray().assign(0.25);
        List<EpochResult> history = new ArrayList<>();
        byte[] rng = new byte[]{1, 2, 3};
        MultiLayerNetwork bestNet = network();
        bestNet.params().assign(0.125);
        BestSoFar best = new BestSoFar(new BestValidation(4, "validation-accuracy", 0.9375), bestNet, 3);
        for (int e = 1; e <= 7; e++) {
            history.add(epoch(e));
            Path written = writer.epochFinished(e, 7, net, rng, history, e < 4 ? BestSoFar.NONE : best);
            assertEquals(e % 2 == 0 || e == 7, written != null, "epoch " + e);
        }
        assertEquals(List.of("epoch-0006", "epoch-0007"), names());

        // a checkpoint killed while being written, and one whose state does not read back, are passed over
        Files.createDirectories(dir.resolve("checkpoints/_tmp-epoch-0008"));
        Files.writeString(dir.resolve("checkpoints/_tmp-epoch-0008/model.zip"), "half a zip");
        Files.createDirectories(dir.resolve("checkpoints/epoch-0009"));
        Files.writeString(dir.resolve("checkpoints/epoch-0009/state.json"), "{\"epoch\": 9, ");
        Checkpoint newest = checkpoints.newest().orElseThrow();
        assertEquals(7, newest.epoch());
        assertEquals(history, newest.history());
        assertArrayEquals(rng, newest.splitRandomness());
        assertEquals("training.epochs = 7", newest.config());
        assertEquals("file:/data", newest.data());
        assertEquals(net.params(), newest.network().params());
        assertEquals(net.getUpdater().getStateViewArray(), newest.network().getUpdater().getStateViewArray());
        assertEquals(best.best(), newest.bestSoFar().best(), "the best validation epoch so far");
        assertEquals(3, newest.bestSoFar().epochsWithoutImprovement(), "the patience counter");
        assertEquals(bestNet.params(), newest.bestSoFar().network().params(), "the best epoch's network");
        assertEquals(newest.bestSoFar(), newest.start().bestSoFar(), "a resumed run starts with them");

        checkpoints.discardAfter(7);
        assertFalse(Files.exists(dir.resolve("checkpoints/epoch-0009")));
        checkpoints.deleteAll();
        assertTrue(checkpoints.newest().isEmpty());
        assertNull(EpochCheckpointer.NONE.epochFinished(1, 1, net, rng, history, BestSoFar.NONE));
    }

    @Test
    void theSplitGeneratorIsDl4jsSeededRandomAndRoundTrips() throws Exception {
        RunConfig config = new ConfigLoader().load();
        var master = TrainingMasters.create(config.spark(), config.training(), 2, null);
        byte[] state = SplitRandomness.save(master);
        assertEquals(new Random(config.training().seed()).nextLong(), read(state).nextLong(),
                "DL4J seeds its split generator with training.seed");
        Random advanced = read(state);
        advanced.nextLong();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(advanced);
        }
        var restored = TrainingMasters.create(config.spark(), config.training(), 2, null);
        SplitRandomness.restore(restored, bytes.toByteArray());
        Random expected = new Random(config.training().seed());
        expected.nextLong();
        assertEquals(expected.nextLong(), read(SplitRandomness.save(restored)).nextLong());
    }

    private static Random read(byte[] state) throws Exception {
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(state))) {
            return (Random) in.readObject();
        }
    }

    private List<String> names() throws IOException {
        try (Stream<java.nio.file.Path> list = Files.list(dir.resolve("checkpoints"))) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
