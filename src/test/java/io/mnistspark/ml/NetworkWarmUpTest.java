package io.mnistspark.ml;

import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import io.mnistspark.model.ModelStore;
import io.mnistspark.model.NetworkFactory;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** {@code score} runs the pooled network once before Spark starts: no prediction may depend on that call. */
class NetworkWarmUpTest {
    @Test
    void warmingUpChangesNoOutput() throws IOException {
        RunConfig config = new ConfigLoader().override("network.hidden-layers", "[5]").load();
        MultiLayerNetwork net = NetworkFactory.create(config.network(), config.training(), 16, 3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelStore.write(net, bytes, false);
        DenseNetClassificationModel model = new DenseNetClassificationModel(null, bytes.toByteArray(), null)
                .setScoringBatchSize(7);
        Random random = new Random(9);
        double[] values = new double[16];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble();
        }
        Vector x = Vectors.dense(values);
        double[] before = model.predictRaw(x).toArray();
        model.warmUp();
        model.warmUp();
        assertArrayEquals(before, model.predictRaw(x).toArray());
        assertArrayEquals(before, new DenseNetClassificationModel(null, bytes.toByteArray(), null).predictRaw(x)
                .toArray());
    }
}
