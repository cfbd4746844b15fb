package io.mnistspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

import java.util.Map;

/**
 * The validated configuration of a run: one typed record per section, plus the resolved HOCON tree that is
 * written beside every output as provenance.
 */
public record RunConfig(NetworkSpec network, TrainingSpec training, SparkSpec spark, Config resolved) {

    /** The resolved configuration as HOCON text, every key present, ready to be read back by {@link ConfigLoader}. */
    public String render() {
        return resolved.root().render(ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(false).setJson(false).setFormatted(true));
    }

    /** The resolved configuration as plain maps, lists, strings, numbers and booleans (for JSON). */
    public Map<String, Object> asMap() {
        return resolved.root().unwrapped();
    }
}
