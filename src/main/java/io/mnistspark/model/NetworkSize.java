package io.mnistspark.model;

import io.mnistspark.config.InvalidConfigException;
import io.mnistspark.config.NetworkSpec;
import io.mnistspark.config.SparkSpec;
import io.mnistspark.config.TrainingSpec;
import io.mnistspark.config.Updater;

import java.util.List;
import java.util.Locale;

/**
 * What a network will take before any of it is allocated: its parameters, and the bytes for parameters,
 * gradients, updater state and the activations of a batch, for every copy training holds in this JVM (the
 * network, the averaged copy, and one per worker in local mode). Checked against ND4J's off-heap limit (where
 * DL4J keeps all of them) and the Java heap (where Spark serialises the parameters to broadcast them), and
 * refused with the key, the estimate and the limit.
 */
public record NetworkSize(long parameters, long offHeapBytes, long heapBytes) {
    private static final int BYTES_PER_VALUE = 4; // DataType.FLOAT
    /** Activation arrays a layer holds per example while fitting: pre-activation, activation, gradient, dropout mask. */
    private static final int ARRAYS_PER_ACTIVATION = 4;

    public static NetworkSize estimate(NetworkSpec network, TrainingSpec training, SparkSpec spark, int inputs,
                                       int classes, int copies) {
        try {
            return exact(network, training, spark, inputs, classes, copies);
        } catch (ArithmeticException e) {
            return new NetworkSize(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
        }
    }

    private static NetworkSize exact(NetworkSpec network, TrainingSpec training, SparkSpec spark, int inputs,
                                     int classes, int copies) {
        List<Integer> layers = network.hiddenLayers();
        long parameters = 0;
        long activations = 0;
        long previous = inputs;
        for (int size : layers) {
            parameters = Math.addExact(parameters, Math.addExact(Math.multiplyExact(previous, size), size));
            activations += size;
            previous = size;
        }
        parameters = Math.addExact(parameters, Math.addExact(Math.multiplyExact(previous, classes), classes));
        activations += classes + inputs;
        int stateCopies = training.updater() == Updater.ADAM ? 2 : training.updater() == Updater.SGD ? 0 : 1;
        // parameters + gradients + updater state, for every copy; activations of a training and an evaluation batch
        double perCopy = (double) parameters * (2 + stateCopies) * BYTES_PER_VALUE;
        double batch = (double) activations * ARRAYS_PER_ACTIVATION * BYTES_PER_VALUE
                * (training.batchSize() * (double) copies + spark.evaluationBatchSize());
        double offHeap = perCopy * (copies + 2) + batch;
        double heap = 2.0 * parameters * BYTES_PER_VALUE; // the serialised parameters of a broadcast or a model file
        return new NetworkSize(parameters, saturated(offHeap), saturated(heap));
    }

    private static long saturated(double bytes) {
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }

    /**
     * Refuses a network that cannot fit under the limits in force.
     *
     * @param offHeapLimit ND4J's limit ({@code org.bytedeco.javacpp.maxbytes}), @param heapLimit the JVM's
     */
    public void check(NetworkSpec network, long offHeapLimit, long heapLimit) {
        String key = "network.hidden-layers = " + network.hiddenLayers();
        if (offHeapBytes > offHeapLimit) {
            throw new InvalidConfigException(String.format(Locale.ROOT, "%s: the network has %,d parameters and "
                    + "needs about %s of off-heap memory to train (parameters, gradients, updater state and a "
                    + "batch's activations), more than the %s limit in force (OFFHEAP_MAX, -Dorg.bytedeco.javacpp"
                    + ".maxbytes); choose smaller layers, a smaller training.batch-size or fewer workers, or raise "
                    + "the limit", key, parameters, size(offHeapBytes), size(offHeapLimit)));
        }
        if (heapBytes > heapLimit) {
            throw new InvalidConfigException(String.format(Locale.ROOT, "%s: the network has %,d parameters and "
                    + "needs about %s of Java heap to broadcast and save them, more than the %s heap in force "
                    + "(DRIVER_MEMORY); choose smaller layers or raise DRIVER_MEMORY", key, parameters,
                    size(heapBytes), size(heapLimit)));
        }
    }

    /** The limits of this JVM: ND4J's off-heap maximum and the Java heap's. */
    public void checkAgainstThisJvm(NetworkSpec network) {
        check(network, org.bytedeco.javacpp.Pointer.maxBytes(), Runtime.getRuntime().maxMemory());
    }

    static String size(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 9 EB";
        }
        return bytes >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }
}
