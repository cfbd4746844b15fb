package io.mnistspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a run's HOCON file, applies command-line overrides, falls back to the schema
 * ({@code mnist-spark-reference.conf}) and validates every value, naming the key and where it was set.
 */
public final class ConfigLoader {
    public static final String SCHEMA_RESOURCE = "mnist-spark-reference.conf";

    private final Config schema;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private Path file;
    private Config base = ConfigFactory.empty();

    public ConfigLoader() {
        this.schema = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), SCHEMA_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /** The schema: every key with its default value and, as comments, its meaning. */
    public Config schema() {
        return schema;
    }

    /** The run's configuration file; without one the schema's defaults (Nielsen's network) apply. */
    public ConfigLoader file(Path path) {
        this.file = path;
        return this;
    }

    /** Sets {@code key} to a HOCON value, overriding the file ({@code --set training.epochs=5}). */
    public ConfigLoader override(String key, String hoconValue) {
        overrides.put(key, hoconValue);
        return this;
    }

    /**
     * A resolved configuration (e.g. a checkpoint's {@code config.conf}) that the file and the overrides
     * change, instead of the schema's defaults; keys neither sets keep the base's values.
     */
    public ConfigLoader base(String hocon, String origin) {
        Config parsed;
        try {
            parsed = ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setOriginDescription(origin));
        } catch (ConfigException e) {
            throw new InvalidConfigException(origin + ": " + oneLine(e), e);
        }
        rejectUnknownKeys(parsed);
        this.base = parsed;
        return this;
    }

    public RunConfig load() {
        Config user = ConfigFactory.empty();
        if (file != null) {
            user = parseFile(file);
        }
        user = parseOverrides().withFallback(user);
        rejectUnknownKeys(user);
        Config resolved;
        try {
            resolved = user.withFallback(base).withFallback(schema).resolve();
        } catch (ConfigException e) {
            throw new InvalidConfigException(oneLine(e), e);
        }
        return fromResolved(resolved);
    }

    /** Parses an already resolved configuration (e.g. a run directory's {@code config.conf}). */
    public RunConfig parse(String hocon, String origin) {
        Config user;
        try {
            user = ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setOriginDescription(origin));
        } catch (ConfigException e) {
            throw new InvalidConfigException(oneLine(e), e);
        }
        rejectUnknownKeys(user);
        return fromResolved(user.withFallback(schema).resolve());
    }

    private Config parseFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new InvalidConfigException(path + ": configuration file not found");
        }
        if (!Files.isReadable(path)) {
            throw new InvalidConfigException(path + ": configuration file is not readable");
        }
        try {
            return ConfigFactory.parseFile(path.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
        } catch (ConfigException.IO e) {
            throw new InvalidConfigException(missingInclude(path, e), e);
        } catch (ConfigException e) {
            throw new InvalidConfigException(oneLine(e), e);
        }
    }

    /** An {@code include required(...)} of a missing file, named with the file and line that include it. */
    private static String missingInclude(Path includer, ConfigException.IO e) {
        String missing = e.origin() == null ? null : e.origin().description();
        if (missing != null) {
            try {
                java.util.List<String> lines = Files.readAllLines(includer);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.contains("include") && line.contains(missing.substring(missing.lastIndexOf('/') + 1))) {
                        return includer + ":" + (i + 1) + ": " + line.strip() + ": the included file " + missing
                                + " was not found (relative paths are resolved against "
                                + includer.toAbsolutePath().getParent() + ")";
                    }
                }
            } catch (java.io.IOException | RuntimeException ignored) {
                // fall through to the general message
            }
            return includer + ": a file it includes was not found: " + missing;
        }
        return includer + ": " + oneLine(e);
    }

    private Config parseOverrides() {
        Config result = ConfigFactory.empty();
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            String origin = "command line (" + entry.getKey() + ")";
            try {
                Config one = ConfigFactory.parseString(quoteKey(entry.getKey()) + " = " + entry.getValue(),
                        ConfigParseOptions.defaults().setOriginDescription(origin));
                result = one.withFallback(result);
            } catch (ConfigException e) {
                throw new InvalidConfigException(origin + ": cannot parse value '" + entry.getValue() + "': "
                        + oneLine(e), e);
            }
        }
        return result;
    }

    private static String quoteKey(String key) {
        if (!key.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
            throw new InvalidConfigException("command line: '" + key + "' is not a configuration key");
        }
        return key;
    }

    private void rejectUnknownKeys(Config user) {
        for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
            String key = entry.getKey();
            if (!schema.hasPath(key)) {
                throw new InvalidConfigException(where(entry.getValue()) + "unknown key '" + key + "'"
                        + knownKeysNear(key));
            }
            if (schema.getValue(key).valueType() == ConfigValueType.OBJECT) {
                throw new InvalidConfigException(where(entry.getValue()) + key + " must be a section with keys "
                        + childKeys(key));
            }
        }
        for (String section : user.root().keySet()) {
            if (!schema.hasPath(section)) {
                throw new InvalidConfigException(where(user.getValue(section)) + "unknown section '" + section
                        + "' (known: " + String.join(", ", schema.root().keySet()) + ")");
            }
        }
    }

    private String knownKeysNear(String key) {
        int dot = key.lastIndexOf('.');
        if (dot > 0 && schema.hasPath(key.substring(0, dot))) {
            return " (known keys in " + key.substring(0, dot) + ": " + childKeys(key.substring(0, dot)) + ")";
        }
        return " (known sections: " + String.join(", ", new TreeSet<>(schema.root().keySet())) + ")";
    }

    private String childKeys(String section) {
        Set<String> keys = new TreeSet<>(schema.getConfig(section).root().keySet());
        return String.join(", ", keys);
    }

    private static RunConfig fromResolved(Config c) {
        ConfigValidator v = new ConfigValidator(c);
        NetworkSpec network = new NetworkSpec(
                v.hiddenLayers("network.hidden-layers"),
                v.choice("network.activation", HiddenActivation.class),
                v.choice("network.output-activation", OutputActivation.class),
                v.choice("network.loss", Loss.class),
                v.choice("network.weight-init", WeightInit.class),
                v.intInRange("network.classes", 0, 256));
        TrainingSpec training = new TrainingSpec(
                v.choice("training.updater", Updater.class),
                v.positiveFloat("training.learning-rate"),
                v.doubleInHalfOpenRange("training.learning-rate-decay", 0.0, 1.0),
                v.doubleInRange("training.momentum", 0.0, 1.0),
                v.nonNegativeDouble("training.l2"),
                v.doubleInRange("training.dropout", 0.0, 1.0),
                v.intAtLeast("training.batch-size", 1),
                v.intAtLeast("training.epochs", 1),
                v.longValue("training.seed"),
                v.fractionOrCount("training.validation-size"),
                v.intAtLeast("training.shuffle-window", 1),
                new EarlyStoppingSpec(v.choice("training.early-stopping.metric", ValidationMetric.class),
                        v.intAtLeast("training.early-stopping.patience", 0),
                        v.nonNegativeDouble("training.early-stopping.min-delta")),
                v.bool("training.fused-layers"));
        if (training.earlyStopping().enabled() && training.validationSize() == 0) {
            throw v.invalid("training.early-stopping.patience", "early stopping needs validation data:"
                    + " set training.validation-size above 0, or patience = 0");
        }
        SparkSpec spark = new SparkSpec(
                v.intAtLeast("spark.workers", 0),
                v.intAtLeast("spark.averaging-frequency", 1),
                v.intAtLeast("spark.prefetch-batches", 0),
                v.choice("spark.rdd-training-approach", TrainingApproach.class),
                v.bool("spark.average-updater-state"),
                v.intAtLeast("spark.evaluation-batch-size", 1),
                v.choice("spark.training-loss", TrainingLoss.class),
                v.bool("spark.training-stats"));
        CheckpointSpec checkpoint = new CheckpointSpec(
                v.intAtLeast("checkpoint.every", 1),
                v.intAtLeast("checkpoint.keep", 1));
        return new RunConfig(network, training, spark, checkpoint, c);
    }

    private static String where(ConfigValue value) {
        return ConfigValidator.where(value);
    }

    static String oneLine(ConfigException e) {
        return e.getMessage().replace('\n', ' ');
    }
}
