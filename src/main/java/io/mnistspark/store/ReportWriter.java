package io.mnistspark.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mnistspark.evaluate.Misclassified;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes {@code report.html} and its PNG charts ({@code report/*.png}) into a run directory, from the text of
 * the run's {@code metrics.json} and its misclassified test images. The page works offline: the charts are
 * files beside it and the digits are inlined.
 */
public final class ReportWriter {
    public static final String PAGE = "report.html";
    public static final String CHART_DIRECTORY = "report";
    /** Misclassified digits shown in the gallery. */
    public static final int GALLERY_SIZE = 100;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen, also without a display
        }
    }

    private ReportWriter() {
    }

    /**
     * Stages the report in {@code run}; it appears with the run's other files at {@link RunDirectory#commit()}.
     *
     * @param metricsJson the content of metrics.json
     * @param inputs      pixels per image
     * @param generated   the footer: who wrote the report and when
     */
    public static void write(RunDirectory run, String metricsJson, Misclassified gallery, int inputs, String generated) {
        Map<String, byte[]> files = render(run, metricsJson, gallery, inputs, generated, null);
        // everything is drawn before the first file is staged: a failure leaves nothing half-written
        files.forEach((name, content) -> {
            try (OutputStream out = run.create(name)) {
                out.write(content);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + name + " under " + run.root(), e);
            }
        });
    }

    /**
     * Writes the report of a run still training straight into {@code run} (not staged), each file replaced in
     * one step, charts first and the page last: it is marked {@code progress} (e.g. "in progress: epoch 3 of
     * 30"), reloads itself every {@link ReportHtml#REFRESH_SECONDS} seconds, and leaves out what only the end
     * of the run gives (the final test evaluation, the misclassified digits).
     */
    public static void writeInProgress(RunDirectory run, String metricsJson, int inputs, String generated,
                                       String progress) {
        Map<String, byte[]> files = render(run, metricsJson, null, inputs, generated, progress);
        files.forEach(run::publish);
    }

    /** The report's files, relative name -> content, the page last. */
    private static Map<String, byte[]> render(RunDirectory run, String metricsJson, Misclassified gallery, int inputs,
                                              String generated, String progress) {
        JsonNode metrics = parse(metricsJson);
        JsonNode epochs = metrics.get("epochs");
        Map<String, byte[]> pngs = new LinkedHashMap<>();
        pngs.put("accuracy", ReportCharts.accuracy(epochs));
        pngs.put("loss", ReportCharts.loss(epochs));
        pngs.put("epoch-times", ReportCharts.epochTimes(epochs));
        JsonNode averaging = metrics.at("/timing/averaging_epochs");
        if (averaging.isArray() && !averaging.isEmpty()) {
            pngs.put("averaging", ReportCharts.averaging(epochs, averaging));
        }
        Map<String, String> charts = new LinkedHashMap<>();
        pngs.keySet().forEach(name -> charts.put(name, CHART_DIRECTORY + "/" + name + ".png"));
        String html = ReportHtml.render(run.root().toString(), metrics, charts, gallery, inputs, generated, progress);
        Map<String, byte[]> files = new LinkedHashMap<>();
        pngs.forEach((name, png) -> files.put(charts.get(name), png));
        files.put(PAGE, html.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return files;
    }

    private static JsonNode parse(String metricsJson) {
        try {
            return JsonFormat.mapper().readTree(metricsJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metrics are not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
