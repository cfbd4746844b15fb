package io.mnistspark.cli;

import io.mnistspark.InvalidInputException;
import io.mnistspark.UserException;
import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import io.mnistspark.train.Checkpoint;
import io.mnistspark.train.Checkpoints;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code train --resume OUT} continues from: the newest complete checkpoint of OUT, the configuration
 * (the checkpoint's, changed by any {@code --conf}/{@code --set} given, which needs {@code --force}) and the
 * data directory (the checkpoint's unless {@code --data} is given).
 */
record Resumption(Checkpoint checkpoint, RunConfig config, Path data) {

    /** @param warnings told about every checkpoint skipped because it does not read back, and why */
    static Resumption prepare(Path out, Checkpoints checkpoints, ConfigOptions options, String dataOption,
                              boolean force, Configuration hadoop, java.util.function.Consumer<String> warnings) {
        List<String> skipped = new ArrayList<>();
        Checkpoint checkpoint = checkpoints.newest(s -> skipped.add(s.location().getName() + ": " + s.reason()))
                .orElseThrow(() -> new InvalidInputException(out + ": no complete checkpoint to resume from (expected "
                        + checkpoints.directory() + "/epoch-NNNN/ holding model.zip and state.json"
                        + (skipped.isEmpty() ? "" : "; skipped " + String.join("; ", skipped)) + ")"));
        for (String s : skipped) {
            warnings.accept("warning: skipping the checkpoint " + s + "; resuming from the older "
                    + checkpoint.location().getName());
        }
        String origin = new Path(checkpoint.location(), "state.json").toString();
        RunConfig earlier = new ConfigLoader().parse(checkpoint.config(), origin);
        RunConfig config = options.load(new ConfigLoader().base(checkpoint.config(), origin));
        List<String> differences = new ArrayList<>(config.differencesFrom(earlier));
        Path data = new Path(checkpoint.data());
        if (dataOption != null) {
            Path given = qualified(new Path(dataOption), hadoop);
            if (!given.toString().equals(checkpoint.data())) {
                differences.add("--data (" + checkpoint.data() + " -> " + given + ")");
            }
            data = given;
        }
        List<String> network = differences.stream().filter(d -> d.startsWith("network.")).toList();
        if (!network.isEmpty()) {
            throw new UserException(out + ": the network differs from the checkpoint's (" + checkpoint.location()
                    + ") in " + String.join(", ", network) + "; a run can only continue with the network it started"
                    + " with (--force allows training.* and spark.* changes)");
        }
        if (!differences.isEmpty() && !force) {
            throw new UserException(out + ": the configuration differs from the checkpoint's (" + checkpoint.location()
                    + ") in " + String.join(", ", differences)
                    + "; resume with the same configuration, or add --force to continue with the new one");
        }
        if (checkpoint.epoch() > config.training().epochs()) {
            throw new UserException(out + ": the newest checkpoint is after epoch " + checkpoint.epoch()
                    + ", beyond training.epochs = " + config.training().epochs());
        }
        return new Resumption(checkpoint, config, data);
    }

    static Path qualified(Path path, Configuration hadoop) {
        try {
            return path.getFileSystem(hadoop).makeQualified(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + path, e);
        }
    }
}
