package io.mnistspark.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mnistspark.config.CheckpointSpec;
import io.mnistspark.model.ModelStore;
import io.mnistspark.store.JsonFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoints of a run, under {@code OUT/checkpoints/epoch-NNNN/}: {@code model.zip} (the network with
 * its updater state, DL4J's ModelSerializer format), {@code state.json} (epoch, metrics so far, the state
 * of the averaging splits, the configuration, the data directory, the best validation epoch and the patience
 * counter) and, once there is a best validation epoch, its network as {@code best-model.zip}. Each is written under a temporary name
 * ({@code _tmp-epoch-NNNN}) and renamed when complete, so a killed driver leaves either a whole checkpoint
 * or none; the checkpoints live outside the run's staging area and survive a failed run.
 */
public final class Checkpoints {
    public static final String DIRECTORY = "checkpoints";
    static final String MODEL = "model.zip";
    static final String STATE = "state.json";
    static final String BEST_MODEL = "best-model.zip";
    private static final String TEMPORARY_PREFIX = "_tmp-";
    private static final Pattern NAME = Pattern.compile("epoch-(\\d+)");
    private static final ObjectMapper READER = JsonFormat.mapper().copy()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** What {@code state.json} holds; {@code splitRandomness} is base64. */
    record State(int format, int epoch, String data, String config, String splitRandomness,
                 List<EpochResult> history, BestValidation bestValidation, int epochsWithoutImprovement) {
    }

    private final FileSystem fs;
    private final Path directory;

    public Checkpoints(Path runRoot, Configuration hadoop) {
        try {
            this.fs = runRoot.getFileSystem(hadoop);
            this.directory = new Path(fs.makeQualified(runRoot), DIRECTORY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + runRoot, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Whether epoch {@code epoch} of {@code totalEpochs} gets a checkpoint: every N-th, and the last. */
    public static boolean due(CheckpointSpec spec, int epoch, int totalEpochs) {
        return epoch % spec.every() == 0 || epoch == totalEpochs;
    }

    /**
     * The writer a training run uses: a checkpoint when {@link #due}, keeping the newest {@code spec.keep()}.
     *
     * @param config the run's resolved configuration (HOCON), @param data its data directory
     */
    public EpochCheckpointer writer(CheckpointSpec spec, String config, String data) {
        return (epoch, totalEpochs, network, splitRandomness, history, bestSoFar) -> {
            if (!due(spec, epoch, totalEpochs)) {
                return null;
            }
            Path written = write(epoch, network, bestSoFar.network(), new State(1, epoch, data, config,
                    Base64.getEncoder().encodeToString(splitRandomness), List.copyOf(history), bestSoFar.best(),
                    bestSoFar.epochsWithoutImprovement()));
            prune(epoch, spec.keep());
            return written;
        };
    }

    /**
     * Writes one checkpoint atomically: into a temporary directory, renamed when complete. A failed write
     * (a full or read-only disk) removes the torn temporary directory where the disk allows and leaves the
     * complete checkpoints as they were. An interrupt ({@link #WRITING}) waits for a write under way.
     */
    Path write(int epoch, MultiLayerNetwork network, MultiLayerNetwork best, State state) {
        synchronized (WRITING) {
            return writeNow(epoch, network, best, state);
        }
    }

    /** Held while a checkpoint is written: Ctrl-C and SIGTERM take it before the JVM exits. */
    public static final Object WRITING = new Object();

    private Path writeNow(int epoch, MultiLayerNetwork network, MultiLayerNetwork best, State state) {
        Path target = new Path(directory, name(epoch));
        Path temporary = new Path(directory, TEMPORARY_PREFIX + name(epoch));
        try {
            fs.delete(temporary, true);
            try (OutputStream out = fs.create(new Path(temporary, MODEL), true)) {
                ModelStore.writeStored(network, out, true);
            }
            if (best != null) {
                try (OutputStream out = fs.create(new Path(temporary, BEST_MODEL), true)) {
                    ModelStore.writeStored(best, out, false);
                }
            }
            try (OutputStream out = fs.create(new Path(temporary, STATE), true)) {
                out.write(JsonFormat.write(state).getBytes(StandardCharsets.UTF_8));
            }
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(temporary, target)) {
                throw new IOException("cannot rename " + temporary + " to " + target);
            }
            return target;
        } catch (IOException | org.apache.hadoop.fs.FSError e) {
            try {
                fs.delete(temporary, true);
            } catch (IOException | RuntimeException ignored) {
                // a read-only disk: nothing was written there either
            }
            if (io.mnistspark.store.StorageProblem.isStorage(e)) {
                throw new io.mnistspark.RunFailedException(target + ": cannot write the checkpoint ("
                        + io.mnistspark.store.StorageProblem.cause(e) + "); "
                        + io.mnistspark.store.StorageProblem.advice(e) + "; the complete checkpoints before it are kept");
            }
            throw new UncheckedIOException("cannot write the checkpoint " + target, e instanceof IOException io ? io
                    : new IOException(e.getMessage(), e));
        }
    }

    /** Deletes all but the newest {@code keep} checkpoints up to {@code epoch}, and leftover temporary ones. */
    private void prune(int epoch, int keep) {
        try {
            List<Integer> epochs = new ArrayList<>(epochs());
            epochs.removeIf(e -> e > epoch);
            for (int i = 0; i < epochs.size() - keep; i++) {
                fs.delete(new Path(directory, name(epochs.get(i))), true);
            }
            for (FileStatus status : fs.listStatus(directory)) {
                if (status.getPath().getName().startsWith(TEMPORARY_PREFIX)) {
                    fs.delete(status.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete old checkpoints in " + directory, e);
        }
    }

    /** A checkpoint that did not read back, and why. */
    public record Skipped(Path location, String reason) {
    }

    /** The newest checkpoint that reads back completely (older ones are tried when a newer one does not). */
    public Optional<Checkpoint> newest() {
        return newest(skipped -> { });
    }

    /** {@link #newest()}, telling {@code skipped} about every newer checkpoint passed over. */
    public Optional<Checkpoint> newest(java.util.function.Consumer<Skipped> skipped) {
        List<Integer> epochs;
        try {
            epochs = new ArrayList<>(epochs());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        epochs.sort(Comparator.reverseOrder());
        for (int epoch : epochs) {
            Path location = new Path(directory, name(epoch));
            try {
                return Optional.of(read(location));
            } catch (IOException | RuntimeException e) {
                skipped.accept(new Skipped(location, e instanceof Unreadable ? e.getMessage()
                        : io.mnistspark.store.StorageProblem.cause(e)));
            }
        }
        return Optional.empty();
    }

    /** Deletes the checkpoints newer than {@code epoch} (ones that did not read back) and temporary ones. */
    public void discardAfter(int epoch) {
        try {
            for (int e : epochs()) {
                if (e > epoch) {
                    fs.delete(new Path(directory, name(e)), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + directory, e);
        }
    }

    /** Deletes every checkpoint (a new run replacing an old one with {@code --overwrite}). */
    public void deleteAll() {
        try {
            fs.delete(directory, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    /** Why a checkpoint is not usable, in words. */
    private static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    private Checkpoint read(Path location) throws IOException {
        State state;
        try (InputStream in = fs.open(new Path(location, STATE))) {
            state = READER.readValue(in, State.class);
        } catch (java.io.FileNotFoundException e) {
            throw new Unreadable(STATE + " is missing");
        } catch (IOException e) {
            throw new Unreadable(STATE + " cannot be read (" + io.mnistspark.store.StorageProblem.cause(e) + ")");
        }
        MultiLayerNetwork network;
        try (InputStream in = new BufferedInputStream(fs.open(new Path(location, MODEL)))) {
            network = ModelSerializer.restoreMultiLayerNetwork(in, true);
        } catch (java.io.FileNotFoundException e) {
            throw new Unreadable(MODEL + " is missing");
        } catch (IOException | RuntimeException e) {
            throw new Unreadable(MODEL + " is not a readable model (" + io.mnistspark.store.StorageProblem.cause(e) + ")");
        }
        if (state.history() == null || state.history().size() != state.epoch() || state.config() == null) {
            throw new Unreadable(STATE + " is incomplete (no configuration, or a history of "
                    + (state.history() == null ? 0 : state.history().size()) + " epochs for epoch " + state.epoch() + ")");
        }
        BestSoFar bestSoFar = BestSoFar.NONE;
        if (state.bestValidation() != null) {
            try (InputStream in = new BufferedInputStream(fs.open(new Path(location, BEST_MODEL)))) {
                bestSoFar = new BestSoFar(state.bestValidation(), ModelSerializer.restoreMultiLayerNetwork(in, false),
                        state.epochsWithoutImprovement());
            } catch (java.io.FileNotFoundException e) {
                throw new Unreadable(BEST_MODEL + " is missing");
            } catch (IOException | RuntimeException e) {
                throw new Unreadable(BEST_MODEL + " is not a readable model (" + io.mnistspark.store.StorageProblem.cause(e) + ")");
            }
        }
        return new Checkpoint(location, state.epoch(), network, state.history(),
                Base64.getDecoder().decode(state.splitRandomness()), state.config(), state.data(), bestSoFar);
    }

    /** The epochs of the checkpoint directories present (by name), oldest first. */
    private List<Integer> epochs() throws IOException {
        List<Integer> epochs = new ArrayList<>();
        if (!fs.exists(directory)) {
            return epochs;
        }
        for (FileStatus status : fs.listStatus(directory)) {
            Matcher m = NAME.matcher(status.getPath().getName());
            if (status.isDirectory() && m.matches()) {
                epochs.add(Integer.parseInt(m.group(1)));
            }
        }
        epochs.sort(Comparator.naturalOrder());
        return epochs;
    }

    private static String name(int epoch) {
        return String.format(java.util.Locale.ROOT, "epoch-%04d", epoch);
    }
}
