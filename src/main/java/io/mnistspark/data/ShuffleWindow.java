package io.mnistspark.data;

import org.nd4j.linalg.dataset.DataSet;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The images of one shuffle window of a worker (a run of its blocks, without copying them) in a seeded random
 * order. An executor keeps the last window of each worker while the rounds of that window run, one per worker:
 * at most {@code training.shuffle-window} images each.
 */
final class ShuffleWindow {
    private static final Map<String, Kept> KEPT = new ConcurrentHashMap<>();

    private final LabeledImages[] blocks;
    private final int[] blockOf;
    private final int[] indexOf;

    private ShuffleWindow(LabeledImages[] blocks, int[] blockOf, int[] indexOf) {
        this.blocks = blocks;
        this.blockOf = blockOf;
        this.indexOf = indexOf;
    }

    /** The {@code count} images after the first {@code skip} of {@code blocks}, in a random order. */
    static ShuffleWindow of(List<LabeledImages> blocks, int skip, int count, SplittableRandom random) {
        int[] blockOf = new int[count];
        int[] indexOf = new int[count];
        int at = 0;
        int toSkip = skip;
        for (int b = 0; b < blocks.size() && at < count; b++) {
            LabeledImages block = blocks.get(b);
            for (int i = 0; i < block.count() && at < count; i++) {
                if (toSkip > 0) {
                    toSkip--;
                    continue;
                }
                blockOf[at] = b;
                indexOf[at] = i;
                at++;
            }
        }
        if (at != count) {
            throw new IllegalStateException("a shuffle window expected " + count + " images, its blocks hold " + at);
        }
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tb = blockOf[i];
            blockOf[i] = blockOf[j];
            blockOf[j] = tb;
            int ti = indexOf[i];
            indexOf[i] = indexOf[j];
            indexOf[j] = ti;
        }
        return new ShuffleWindow(blocks.toArray(new LabeledImages[0]), blockOf, indexOf);
    }

    /** Images {@code from..to} of the shuffled window as a mini-batch, in arrays from {@code reused} if not null. */
    DataSet toDataSet(int from, int to, int classes, BatchArrays reused) {
        LabeledImages first = blocks[blockOf[from]];
        int n = first.pixelsPerImage();
        int rows = to - from;
        float[] features = reused == null ? new float[rows * n] : reused.featureValues(rows * n);
        float[] labels = reused == null ? new float[rows * classes] : reused.labelValues(rows * classes);
        for (int r = 0; r < rows; r++) {
            LabeledImages block = blocks[blockOf[from + r]];
            int index = indexOf[from + r];
            byte[] pixels = block.pixelBytes();
            int at = index * n;
            int out = r * n;
            for (int p = 0; p < n; p++) {
                features[out + p] = (pixels[at + p] & 0xFF) / 255f;
            }
            labels[r * classes + block.label(index)] = 1f;
        }
        return reused != null ? reused.dataSet(features, labels, rows, n, classes)
                : new DataSet(Batches.matrix(features, rows, n), Batches.matrix(labels, rows, classes));
    }

    static ShuffleWindow get(String planKey, int worker, int window) {
        Kept kept = KEPT.get(slot(planKey, worker));
        return kept != null && kept.planKey.equals(planKey) && kept.window == window ? kept.images : null;
    }

    /** Keeps {@code images} as worker {@code w}'s window, replacing the one it kept before (of any epoch). */
    static void keep(String planKey, int worker, int window, ShuffleWindow images) {
        KEPT.put(slot(planKey, worker), new Kept(planKey, window, images));
    }

    static void forget(String planKey, int worker) {
        KEPT.remove(slot(planKey, worker));
    }

    /** One slot per data set and worker: the plan key is "data key/epoch-N". */
    private static String slot(String planKey, int worker) {
        return planKey.substring(0, planKey.lastIndexOf('/')) + "#" + worker;
    }

    private record Kept(String planKey, int window, ShuffleWindow images) {
    }
}
