package io.mnistspark.model;

import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

import java.util.Map;

/**
 * Makes every executor load the ND4J build its own CPU runs ({@link NativeBuild}): executors start this plugin
 * before their first task, so before ND4J loads. {@code cli.SparkRuntime} registers it; in a session of your own
 * add {@code spark.plugins=io.mnistspark.model.NativeBuildPlugin}. The driver selects its build itself.
 */
public final class NativeBuildPlugin implements SparkPlugin {
    public static final String CONF_KEY = "spark.plugins";

    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                NativeBuild.select();
            }
        };
    }

    /** {@code plugins} (a value of spark.plugins, may be null) with this plugin added once. */
    public static String addTo(String plugins) {
        String name = NativeBuildPlugin.class.getName();
        if (plugins == null || plugins.isBlank()) {
            return name;
        }
        for (String p : plugins.split(",")) {
            if (p.trim().equals(name)) {
                return plugins;
            }
        }
        return plugins + "," + name;
    }
}
