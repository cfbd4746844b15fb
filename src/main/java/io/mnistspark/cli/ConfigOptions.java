package io.mnistspark.cli;

import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --conf} and the flags that override single keys of it. */
final class ConfigOptions {
    @Option(names = "--conf", paramLabel = "FILE",
            description = "HOCON configuration (see conf/); without it Nielsen's network (conf/nielsen.conf) is used.")
    Path conf;

    @Option(names = "--epochs", paramLabel = "N", description = "Overrides training.epochs.")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Overrides training.batch-size.")
    Integer batchSize;

    @Option(names = "--learning-rate", paramLabel = "X", description = "Overrides training.learning-rate.")
    Double learningRate;

    @Option(names = "--seed", paramLabel = "N", description = "Overrides training.seed.")
    Long seed;

    @Option(names = "--workers", paramLabel = "N", description = "Overrides spark.workers.")
    Integer workers;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Overrides any key, e.g. --set network.hidden-layers=[100] (repeatable).")
    Map<String, String> set = new LinkedHashMap<>();

    RunConfig load() {
        return load(new ConfigLoader());
    }

    /** Whether any option here was given (a resumed run without any keeps its checkpoint's configuration). */
    boolean given() {
        return conf != null || epochs != null || batchSize != null || learningRate != null || seed != null
                || workers != null || !set.isEmpty();
    }

    /** The configuration {@code loader} yields with these options applied (e.g. on a checkpoint's as its base). */
    RunConfig load(ConfigLoader loader) {
        loader.file(conf);
        set.forEach(loader::override);
        if (epochs != null) {
            loader.override("training.epochs", epochs.toString());
        }
        if (batchSize != null) {
            loader.override("training.batch-size", batchSize.toString());
        }
        if (learningRate != null) {
            loader.override("training.learning-rate", learningRate.toString());
        }
        if (seed != null) {
            loader.override("training.seed", seed.toString());
        }
        if (workers != null) {
            loader.override("spark.workers", workers.toString());
        }
        return loader.load();
    }
}
