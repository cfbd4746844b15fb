package io.mnistspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The validated configuration of a run: one typed record per section, plus the resolved HOCON tree that is
 * written beside every output as provenance.
 */
public record RunConfig(NetworkSpec network, TrainingSpec training, SparkSpec spark, CheckpointSpec checkpoint,
                        Config resolved) {

    /** The resolved configuration as HOCON text, every key present, ready to be read back by {@link ConfigLoader}. */
    public String render() {
        return resolved.root().render(ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(false).setJson(false).setFormatted(true));
    }

    /** The resolved configuration as plain maps, lists, strings, numbers and booleans (for JSON). */
    public Map<String, Object> asMap() {
        return resolved.root().unwrapped();
    }

    /**
     * The keys whose values differ from {@code earlier}'s, as {@code key (earlier -> this)}, sorted by key.
     * The {@code checkpoint} section is left out: it does not change what a run computes.
     */
    public List<String> differencesFrom(RunConfig earlier) {
        Map<String, Object> mine = flat(resolved);
        Map<String, Object> theirs = flat(earlier.resolved);
        TreeSet<String> keys = new TreeSet<>(mine.keySet());
        keys.addAll(theirs.keySet());
        List<String> differences = new ArrayList<>();
        for (String key : keys) {
            if (!key.startsWith("checkpoint.") && !same(mine.get(key), theirs.get(key))) {
                differences.add(key + " (" + theirs.get(key) + " -> " + mine.get(key) + ")");
            }
        }
        return differences;
    }

    /** Equal values; numbers by value, so that {@code 3} and {@code 3.0} are the same learning rate. */
    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static Map<String, Object> flat(Config config) {
        Map<String, Object> values = new java.util.HashMap<>();
        config.entrySet().forEach(e -> values.put(e.getKey(), e.getValue().unwrapped()));
        return values;
    }
}
