package io.mnistspark.data;

import io.mnistspark.InvalidInputException;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How many images of a set carry each label byte (0-255) and where each label first occurs (its index in the
 * file): counted by the executors in the same job that caches the blocks, so that the driver can check the
 * labels against the class count later without another pass over the data.
 */
final class LabelTally implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long NONE = Long.MAX_VALUE;

    private final long[] counts = new long[256];
    private final long[] firstIndex = new long[256];

    LabelTally() {
        Arrays.fill(firstIndex, NONE);
    }

    /** Adds the labels of a block whose first image has index {@code first} in its file. */
    void add(byte[] labels, long first) {
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            if (counts[label]++ == 0) {
                firstIndex[label] = Math.min(firstIndex[label], first + i);
            }
        }
    }

    /** The counts of both, with the earlier first occurrence of each label. */
    LabelTally merge(LabelTally other) {
        for (int label = 0; label < 256; label++) {
            counts[label] += other.counts[label];
            firstIndex[label] = Math.min(firstIndex[label], other.firstIndex[label]);
        }
        return this;
    }

    /** Element-wise {@link #merge} of two arrays of tallies (one per segment of a file). */
    static LabelTally[] merge(LabelTally[] a, LabelTally[] b) {
        for (int s = 0; s < a.length; s++) {
            a[s].merge(b[s]);
        }
        return a;
    }

    static LabelTally[] empty(int segments) {
        LabelTally[] tallies = new LabelTally[segments];
        for (int s = 0; s < segments; s++) {
            tallies[s] = new LabelTally();
        }
        return tallies;
    }

    /**
     * The counts (index = label), after checking that with {@code classes > 0} no label is {@code classes} or
     * more; the failure names the file and the first image (lowest index) that carries such a label.
     */
    long[] checkedCounts(int classes, String file, String limitReason) {
        if (classes > 0) {
            int worst = -1;
            for (int label = classes; label < 256; label++) {
                if (counts[label] > 0 && (worst < 0 || firstIndex[label] < firstIndex[worst])) {
                    worst = label;
                }
            }
            if (worst >= 0) {
                throw new InvalidInputException(file + ": label " + worst + " at index " + firstIndex[worst]
                        + " is outside 0-" + (classes - 1) + " (" + limitReason + ")");
            }
        }
        return counts.clone();
    }
}
