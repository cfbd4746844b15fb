package io.mnistspark.store;

import com.fasterxml.jackson.databind.JsonNode;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PNG charts of {@code report.html}, drawn with XChart from the fields of {@code metrics.json}: learning
 * curves, time per epoch, and the parameter-averaging breakdown of the fitting time.
 */
final class ReportCharts {
    static final int WIDTH = 800;
    static final int HEIGHT = 400;

    private ReportCharts() {
    }

    /** Test and (when held out) validation accuracy per epoch, in percent. */
    static byte[] accuracy(JsonNode epochs) {
        XYChart chart = xy("Accuracy per epoch", "accuracy (%)");
        List<Double> x = new ArrayList<>();
        List<Double> test = new ArrayList<>();
        List<Double> validation = new ArrayList<>();
        for (JsonNode e : epochs) {
            x.add(e.get("epoch").asDouble());
            test.add(100 * e.get("test_accuracy").asDouble());
            if (e.hasNonNull("validation_accuracy")) {
                validation.add(100 * e.get("validation_accuracy").asDouble());
            }
        }
        chart.addSeries("test", x, test);
        if (validation.size() == x.size() && !x.isEmpty()) {
            chart.addSeries("validation", x, validation);
        }
        return png(chart);
    }

    /** The training loss (the configured cost over the training images) per epoch. */
    static byte[] loss(JsonNode epochs) {
        XYChart chart = xy("Training loss per epoch", "loss");
        chart.getStyler().setLegendVisible(false);
        List<Double> x = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        for (JsonNode e : epochs) {
            x.add(e.get("epoch").asDouble());
            loss.add(e.get("train_loss").asDouble());
        }
        chart.addSeries("train loss", x, loss);
        return png(chart);
    }

    /** Fitting and evaluation seconds of every epoch, stacked. */
    static byte[] epochTimes(JsonNode epochs) {
        Map<String, List<Double>> parts = new LinkedHashMap<>();
        parts.put("fit", new ArrayList<>());
        parts.put("evaluation", new ArrayList<>());
        List<Integer> x = new ArrayList<>();
        for (JsonNode e : epochs) {
            x.add(e.get("epoch").asInt());
            parts.get("fit").add(e.get("seconds").asDouble());
            parts.get("evaluation").add(e.get("evaluation_seconds").asDouble());
        }
        return png(stacked("Time per epoch", x, parts));
    }

    /**
     * The fitting time of every epoch split into DL4J's parameter-averaging phases; "workers' other" is the
     * aggregate job minus the workers' fitting (scheduling, task start, tree aggregation) and "other" the
     * epoch's fitting time not covered by any phase.
     */
    static byte[] averaging(JsonNode epochs, JsonNode averagingEpochs) {
        Map<Integer, JsonNode> seconds = new LinkedHashMap<>();
        for (JsonNode e : epochs) {
            seconds.put(e.get("epoch").asInt(), e);
        }
        Map<String, List<Double>> parts = new LinkedHashMap<>();
        for (String name : List.of("count + cache", "split + repartition", "broadcast", "worker fit",
                "aggregate job (rest)", "average parameters", "export", "other")) {
            parts.put(name, new ArrayList<>());
        }
        List<Integer> x = new ArrayList<>();
        for (JsonNode a : averagingEpochs) {
            int epoch = a.get("epoch").asInt();
            x.add(epoch);
            double count = a.get("count_seconds").asDouble();
            double split = a.get("split_seconds").asDouble() + a.get("repartition_seconds").asDouble();
            double broadcast = a.get("broadcast_seconds").asDouble();
            double workerFit = a.get("worker_fit_seconds").asDouble();
            double aggregateRest = Math.max(0, a.get("aggregate_seconds").asDouble() - workerFit);
            double process = a.get("process_params_seconds").asDouble();
            double export = a.get("export_seconds").asDouble();
            double covered = count + split + broadcast + workerFit + aggregateRest + process + export;
            JsonNode e = seconds.get(epoch);
            double other = e == null ? 0 : Math.max(0, e.get("seconds").asDouble() - covered);
            parts.get("count + cache").add(count);
            parts.get("split + repartition").add(split);
            parts.get("broadcast").add(broadcast);
            parts.get("worker fit").add(workerFit);
            parts.get("aggregate job (rest)").add(aggregateRest);
            parts.get("average parameters").add(process);
            parts.get("export").add(export);
            parts.get("other").add(other);
        }
        parts.values().removeIf(values -> values.stream().allMatch(v -> v == 0));
        return png(stacked("Fitting time per epoch by parameter-averaging phase", x, parts));
    }

    private static XYChart xy(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setXAxisDecimalPattern("#");
        return chart;
    }

    private static CategoryChart stacked(String title, List<Integer> x, Map<String, List<Double>> parts) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle("seconds").build();
        style(chart.getStyler());
        chart.getStyler().setStacked(true);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setXAxisLabelRotation(x.size() > 40 ? 90 : 0);
        if (x.isEmpty() || parts.isEmpty()) {
            chart.addSeries("none", List.of(0), List.of(0.0));
            return chart;
        }
        parts.forEach((name, values) -> chart.addSeries(name, x, values));
        return chart;
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setAntiAlias(true);
    }

    static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the chart " + chart.getTitle(), e);
        }
    }
}
