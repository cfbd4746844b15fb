package io.mnistspark.data;

import org.apache.hadoop.conf.Configuration;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An IDX pair read whole into this JVM, with the executors' readers and checks. Not for the product's data
 * path (the driver never holds a data set): for single-process references in tests and benchmarks.
 */
public final class LocalImages {
    private LocalImages() {
    }

    /** Images {@code [from, to)} of the pair. */
    public static LabeledImages read(IdxPair pair, int from, int to, Configuration hadoop) {
        List<LabeledImages> blocks = new ArrayList<>();
        if (pair.gzip()) {
            Iterator<Tuple2<Integer, LabeledImages>> it = IdxReads.streamedBlocks(pair, new long[]{from}, new long[]{to},
                    ImageBlocks.BLOCK_IMAGES, hadoop);
            it.forEachRemaining(t -> blocks.add(t._2()));
        } else {
            for (int first = from; first < to; first += ImageBlocks.BLOCK_IMAGES) {
                blocks.add(IdxReads.rawBlock(pair, first, Math.min(to, first + ImageBlocks.BLOCK_IMAGES) - first, hadoop));
            }
        }
        LabeledImages all = LabeledImages.concat(blocks);
        return all.count() == 0 ? new LabeledImages(pair.rows(), pair.columns(), new byte[0], new byte[0]) : all;
    }

    /** The whole pair. */
    public static LabeledImages read(IdxPair pair, Configuration hadoop) {
        return read(pair, 0, pair.count(), hadoop);
    }
}
