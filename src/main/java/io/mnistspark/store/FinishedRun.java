package io.mnistspark.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mnistspark.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A run directory that {@code train} completed ({@code _SUCCESS} present), read back for {@code report}:
 * its {@code metrics.json} and the test files its provenance records.
 */
public record FinishedRun(Path root, String metricsJson, JsonNode metrics) {
    public static final String METRICS = "metrics.json";
    public static final String MODEL = "model.zip";
    private static final List<String> REQUIRED = List.of("config", "provenance", "epochs", "best", "test", "timing");

    public static FinishedRun open(Path root, Configuration hadoop) {
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            if (!fs.exists(root)) {
                throw new InvalidInputException(root + ": run directory not found");
            }
            if (!fs.getFileStatus(root).isDirectory()) {
                throw new InvalidInputException(root + ": is a file, expected a run directory written by train");
            }
            if (!fs.exists(new Path(root, RunDirectory.SUCCESS))) {
                throw new InvalidInputException(root + ": not a finished run (no " + RunDirectory.SUCCESS
                        + "; train writes it last)");
            }
            Path metricsPath = new Path(root, METRICS);
            if (!fs.exists(metricsPath)) {
                throw new InvalidInputException(metricsPath + ": not found; is " + root + " a directory written by train?");
            }
            String text;
            try (InputStream in = fs.open(metricsPath)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode metrics;
            try {
                metrics = JsonFormat.mapper().readTree(text);
            } catch (JsonProcessingException e) {
                throw new InvalidInputException(metricsPath + ": not valid JSON (" + e.getOriginalMessage().replace('\n', ' ') + ")", e);
            }
            for (String field : REQUIRED) {
                if (metrics == null || !metrics.hasNonNull(field)) {
                    throw new InvalidInputException(metricsPath + ": has no \"" + field
                            + "\" field; expected the metrics.json of a train run");
                }
            }
            if (!metrics.get("epochs").isArray() || metrics.get("epochs").isEmpty()) {
                throw new InvalidInputException(metricsPath + ": \"epochs\" is empty; expected the history of a train run");
            }
            return new FinishedRun(fs.makeQualified(root), text, metrics);
        } catch (IOException e) {
            throw new InvalidInputException(root + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public Path metricsPath() {
        return new Path(root, METRICS);
    }

    public Path model() {
        return new Path(root, MODEL);
    }

    /**
     * The path recorded in {@code provenance.inputs} for the file whose name starts with {@code prefix}
     * ({@code t10k-images}, {@code t10k-labels}).
     */
    public Path recordedInput(String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.at("/provenance/inputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> input = it.next();
            if (input.getKey().startsWith(prefix)) {
                return new Path(input.getValue().asText());
            }
        }
        throw new InvalidInputException(metricsPath() + ": provenance.inputs records no " + prefix
                + " file; pass --data DIR with the run's test files");
    }

    /**
     * Checks that each file has the SHA-256 the run recorded for a file of its name (when it recorded one): the
     * report's gallery must show the images the metrics were computed on. The executors hash the files (a data
     * set's bytes never pass through the driver).
     */
    public void checkRecordedChecksums(org.apache.spark.api.java.JavaSparkContext sc, java.util.List<Path> files) {
        java.util.Map<String, String> recorded = new java.util.LinkedHashMap<>();
        for (Path file : files) {
            JsonNode sum = metrics.at("/provenance/inputs_sha256/" + file.getName());
            if (!sum.isMissingNode() && !sum.isNull()) {
                recorded.put(file.getName(), file.toString());
            }
        }
        java.util.Map<String, String> actual = FileChecksums.sha256OnExecutors(sc, recorded);
        for (Path file : files) {
            if (!recorded.containsKey(file.getName())) {
                continue;
            }
            String sum = actual.get(file.getName());
            if (sum == null) {
                throw new InvalidInputException(file + ": cannot read (to check the SHA-256 " + metricsPath() + " records)");
            }
            if (!sum.equals(metrics.at("/provenance/inputs_sha256/" + file.getName()).asText())) {
                throw new InvalidInputException(file + ": SHA-256 differs from the one " + metricsPath()
                        + " records (the file changed since the run); pass --data DIR with the run's test files");
            }
        }
    }
}
