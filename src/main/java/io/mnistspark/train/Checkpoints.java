package io.mnistspark.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mnistspark.config.CheckpointSpec;
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

    /** Writes one checkpoint atomically: into a temporary directory, renamed when complete. */
    Path write(int epoch, MultiLayerNetwork network, MultiLayerNetwork best, State state) {
        Path target = new Path(directory, name(epoch));
        Path temporary = new Path(directory, TEMPORARY_PREFIX + name(epoch));
        try {
            fs.delete(temporary, true);
            try (OutputStream out = fs.create(new Path(temporary, MODEL), true)) {
                ModelSerializer.writeModel(network, out, true);
            }
            if (best != null) {
                try (OutputStream out = fs.create(new Path(temporary, BEST_MODEL), true)) {
                    ModelSerializer.writeModel(best, out, false);
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + target, e);
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

    /** The newest checkpoint that reads back completely (older ones are tried when a newer one does not). */
    public Optional<Checkpoint> newest() {
        List<Integer> epochs;
        try {
            epochs = new ArrayList<>(epochs());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        epochs.sort(Comparator.reverseOrder());
        for (int epoch : epochs) {
            Optional<Checkpoint> checkpoint = read(new Path(directory, name(epoch)));
            if (checkpoint.isPresent()) {
                return checkpoint;
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

    private Optional<Checkpoint> read(Path location) {
        try {
            State state;
            try (InputStream in = fs.open(new Path(location, STATE))) {
                state = READER.readValue(in, State.class);
            }
            MultiLayerNetwork network;
            try (InputStream in = new BufferedInputStream(fs.open(new Path(location, MODEL)))) {
                network = ModelSerializer.restoreMultiLayerNetwork(in, true);
            }
            if (state.history() == null || state.history().size() != state.epoch() || state.config() == null) {
                return Optional.empty();
            }
            BestSoFar bestSoFar = BestSoFar.NONE;
            if (state.bestValidation() != null) {
                try (InputStream in = new BufferedInputStream(fs.open(new Path(location, BEST_MODEL)))) {
                    bestSoFar = new BestSoFar(state.bestValidation(), ModelSerializer.restoreMultiLayerNetwork(in, false),
                            state.epochsWithoutImprovement());
                }
            }
            return Optional.of(new Checkpoint(location, state.epoch(), network, state.history(),
                    Base64.getDecoder().decode(state.splitRandomness()), state.config(), state.data(), bestSoFar));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
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
