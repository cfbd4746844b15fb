package io.mnistspark.ml;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Spark ML params of {@link DenseNetClassifier}, derived from the configuration schema
 * ({@code mnist-spark-reference.conf}): one param per key of its network, training and spark sections, named after the key without its section in camel case
 * ({@code training.learning-rate -> learningRate}, {@code training.early-stopping.patience -> earlyStoppingPatience}), typed after the default (whole numbers are
 * {@link LongParam}s, decimals {@link DoubleParam}s, lists {@link IntArrayParam}s), documented with the
 * schema's comment and defaulting to the schema's value. Values are validated by rendering them as HOCON
 * overrides and loading them through {@link ConfigLoader}, so a bad value fails with the key in the message
 * exactly as in a configuration file.
 */
final class SchemaParams {
    /** One configuration key and the param that holds it. */
    record Entry(String key, Param<Object> param, Object defaultValue) {
    }

    private static final Config SCHEMA = new ConfigLoader().schema();
    /** The sections that describe a model and its training (the command line's own sections, such as checkpoints, are not params). */
    static final List<String> SECTIONS = List.of("network", "training", "spark");

    private SchemaParams() {
    }

    /** The params of every schema key, owned by {@code parent}, sorted by key. */
    @SuppressWarnings("unchecked")
    static List<Entry> create(Params parent) {
        Map<String, ConfigValue> leaves = new TreeMap<>();
        SCHEMA.entrySet().stream().filter(e -> SECTIONS.contains(e.getKey().substring(0, e.getKey().indexOf('.'))))
                .forEach(e -> leaves.put(e.getKey(), e.getValue()));
        List<Entry> entries = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (Map.Entry<String, ConfigValue> leaf : leaves.entrySet()) {
            String key = leaf.getKey();
            ConfigValue value = leaf.getValue();
            String name = paramName(key);
            String clash = names.put(name, key);
            if (clash != null) {
                throw new IllegalStateException("schema keys " + clash + " and " + key + " map to the same param " + name);
            }
            String doc = String.join(" ", value.origin().comments()).strip() + " (configuration key " + key + ")";
            Param<?> param;
            Object defaultValue;
            Object unwrapped = value.unwrapped();
            boolean decimal = value.valueType() == ConfigValueType.NUMBER && writtenAsDecimal(value);
            if (value.valueType() == ConfigValueType.NUMBER && !decimal) {
                param = new LongParam(parent.uid(), name, doc);
                defaultValue = ((Number) unwrapped).longValue();
            } else if (value.valueType() == ConfigValueType.NUMBER) {
                param = new DoubleParam(parent.uid(), name, doc);
                defaultValue = ((Number) unwrapped).doubleValue();
            } else if (value.valueType() == ConfigValueType.BOOLEAN) {
                param = new BooleanParam(parent.uid(), name, doc);
                defaultValue = unwrapped;
            } else if (value.valueType() == ConfigValueType.STRING) {
                param = new Param<String>(parent.uid(), name, doc);
                defaultValue = unwrapped;
            } else if (value.valueType() == ConfigValueType.LIST) {
                param = new IntArrayParam(parent, name, doc);
                defaultValue = SCHEMA.getIntList(key).stream().mapToInt(Integer::intValue).toArray();
            } else {
                throw new IllegalStateException("schema key " + key + " has a value of type " + value.valueType()
                        + " that no Spark param represents");
            }
            entries.add(new Entry(key, (Param<Object>) param, defaultValue));
        }
        return entries;
    }

    /**
     * Whether the schema spells the number with a decimal point or exponent ({@code 3.0}): Typesafe Config
     * keeps 3.0 as a whole number, so the schema line itself says whether a key takes decimals.
     */
    private static boolean writtenAsDecimal(ConfigValue value) {
        String line = SCHEMA_LINES.get(value.origin().lineNumber() - 1);
        return line.substring(line.indexOf('=') + 1).replaceFirst("#.*", "").matches(".*[.eE].*");
    }

    private static final List<String> SCHEMA_LINES = schemaLines();

    private static List<String> schemaLines() {
        try (java.io.InputStream in = SchemaParams.class.getClassLoader().getResourceAsStream(ConfigLoader.SCHEMA_RESOURCE)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("cannot read " + ConfigLoader.SCHEMA_RESOURCE, e);
        }
    }

    /** {@code training.learning-rate -> learningRate}, {@code training.early-stopping.patience -> earlyStoppingPatience}. */
    static String paramName(String key) {
        String leaf = key.substring(key.indexOf('.') + 1).replace('.', '-');
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : leaf.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    /** The value of {@code key} in a validated configuration, as its param holds it. */
    static Object valueOf(RunConfig config, Entry entry) {
        Object unwrapped = config.resolved().getValue(entry.key()).unwrapped();
        Object param = entry.param();
        if (param instanceof LongParam) {
            return ((Number) unwrapped).longValue();
        }
        if (param instanceof DoubleParam) {
            return ((Number) unwrapped).doubleValue();
        }
        if (param instanceof IntArrayParam) {
            return config.resolved().getIntList(entry.key()).stream().mapToInt(Integer::intValue).toArray();
        }
        return unwrapped;
    }

    /** Validates the params' values (set or default) as a configuration: the same checks as a HOCON file. */
    static RunConfig toRunConfig(Params owner, List<Entry> entries) {
        ConfigLoader loader = new ConfigLoader();
        for (Entry entry : entries) {
            loader.override(entry.key(), hocon(owner.getOrDefault(entry.param())));
        }
        return loader.load();
    }

    static String hocon(Object value) {
        Object plain = value instanceof int[] ints ? Arrays.stream(ints).boxed().toList() : value;
        return ConfigValueFactory.fromAnyRef(plain).render(ConfigRenderOptions.concise());
    }
}
