package io.mnistspark.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.mnistspark.evaluate.Misclassified;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text of {@code report.html}: one static page, no scripts, no network. Every number on it is taken from
 * {@code metrics.json} (the gallery from the misclassified test images); the charts are PNG files beside it.
 */
final class ReportHtml {
    /** How often a page written while the run goes on reloads itself. */
    static final int REFRESH_SECONDS = 10;
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
            h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
            .summary{font-size:1.1em}.muted{color:#666}
            table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .6em;text-align:right;border:1px solid #ddd}
            th{background:#f4f4f4}td.l,th.l{text-align:left}
            table.confusion td{width:3.2em;text-align:center;font-variant-numeric:tabular-nums}
            .charts{display:flex;flex-wrap:wrap;gap:1%}.charts img.chart{flex:1 1 49%;min-width:400px;max-width:100%;height:auto}
            img.chart{max-width:100%;height:auto;border:1px solid #eee;margin:.3em 0}
            .gallery{display:flex;flex-wrap:wrap;gap:6px}
            .gallery figure{margin:0;border:1px solid #ddd;padding:3px;text-align:center;width:90px}
            .gallery img{image-rendering:pixelated;width:84px;height:84px}
            .gallery figcaption{font-size:.75em;line-height:1.25}
            pre{background:#f7f7f7;padding:.8em;overflow:auto}code{word-break:break-all}
            .progress{background:#fff4c2;border:1px solid #e6c200;padding:.4em .8em;display:inline-block;font-weight:bold}
            """;

    private final StringBuilder html = new StringBuilder();

    private ReportHtml() {
    }

    /**
     * @param charts     chart title -> file name relative to the page (only the charts that exist)
     * @param gallery    the misclassified test images
     * @param inputs     pixels per image (the network's input size)
     * @param generated  who wrote the page and when, for the footer
     * @param progress   null for the page of a finished run; else the run is still training, e.g. "in progress:
     *                   epoch 3 of 30": the page says so, reloads itself and has no final evaluation or gallery
     */
    static String render(String runName, JsonNode metrics, Map<String, String> charts, Misclassified gallery,
                         int inputs, String generated, String progress) {
        ReportHtml page = new ReportHtml();
        page.write(runName, metrics, charts, gallery, inputs, generated, progress);
        return page.html.toString();
    }

    private void write(String runName, JsonNode m, Map<String, String> charts, Misclassified gallery, int inputs,
                       String generated, String progress) {
        JsonNode test = m.get("test");
        JsonNode best = m.get("best");
        JsonNode epochs = m.get("epochs");
        line("<!DOCTYPE html>");
        line("<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + (progress == null ? "" : "<meta http-equiv=\"refresh\" content=\"" + REFRESH_SECONDS + "\">")
                + "<title>mnist-spark report: " + esc(runName) + "</title>");
        line("<style>" + STYLE + "</style></head><body>");
        line("<h1>mnist-spark run report</h1>");
        line("<p class=\"muted\">" + esc(runName) + "</p>");
        if (progress != null) {
            line("<p class=\"progress\" id=\"progress\">" + esc(progress) + "</p> <span class=\"muted\">(this page"
                    + " reloads every " + REFRESH_SECONDS + " s until the run ends)</span>");
            JsonNode last = epochs.get(epochs.size() - 1);
            line("<p class=\"summary\" id=\"summary\">Latest test accuracy <b>" + last.get("test_correct").asLong()
                    + " / " + last.get("test_total").asLong() + " (" + pct(last.get("test_accuracy").asDouble())
                    + ")</b> after epoch " + last.get("epoch").asInt() + "; best " + pct(best.get("test_accuracy").asDouble())
                    + " in epoch " + best.get("epoch").asInt() + "; " + network(m.get("config"), inputs, classes(m)) + "; "
                    + seconds(m.at("/timing/total_seconds").asDouble()) + " so far.</p>");
        } else {
            line("<p class=\"summary\" id=\"summary\">Final test accuracy <b>" + summary(test) + "</b>; best "
                    + pct(best.get("test_accuracy").asDouble()) + " in epoch " + best.get("epoch").asInt() + " of "
                    + epochs.size() + "; " + network(m.get("config"), inputs, classes(m)) + "; " + seconds(m.at("/timing/total_seconds").asDouble())
                    + " in all.</p>");
        }
        JsonNode bestValidation = m.path("best_validation");
        if (bestValidation.isObject()) {
            String metric = bestValidation.get("metric").asText();
            double value = bestValidation.get("value").asDouble();
            line("<p id=\"best-validation\">Best validation epoch: " + bestValidation.get("epoch").asInt() + " ("
                    + esc(metric.replace('-', ' ')) + " " + (metric.endsWith("accuracy") ? pct(value) : fixed(value, 4))
                    + "), kept as <code>best-model.zip</code>"
                    + (m.hasNonNull("stop_reason") ? "; training stopped early: " + esc(m.get("stop_reason").asText()) : "")
                    + ".</p>");
        }

        line("<h2>Learning curves</h2>");
        line("<div class=\"charts\">");
        chart(charts, "accuracy");
        chart(charts, "loss");
        line("</div>");
        line("<table id=\"epochs\"><tr><th>epoch</th><th>train loss</th><th>validation</th><th>test</th>"
                + "<th>correct</th><th>fit (s)</th><th>evaluation (s)</th></tr>");
        for (JsonNode e : epochs) {
            line("<tr><td>" + e.get("epoch").asInt() + "</td><td>" + fixed(e.get("train_loss").asDouble(), 4) + "</td><td>"
                    + (e.hasNonNull("validation_accuracy") ? pct(e.get("validation_accuracy").asDouble()) : "-")
                    + "</td><td>" + pct(e.get("test_accuracy").asDouble()) + "</td><td>" + e.get("test_correct").asLong()
                    + " / " + e.get("test_total").asLong() + "</td><td>" + fixed(e.get("seconds").asDouble(), 1)
                    + "</td><td>" + fixed(e.get("evaluation_seconds").asDouble(), 1) + "</td></tr>");
        }
        line("</table>");

        if (progress == null) {
            confusion(test.get("confusion"));
            perDigit(test.get("per_class"));
            gallery(gallery, outputName(m.get("config")));
        } else {
            line("<p class=\"muted\" id=\"final-sections\">The confusion matrix, the per-digit figures and the"
                    + " misclassified digits of the final model appear when the run ends.</p>");
        }
        timing(m, charts, progress != null);
        provenance(m.get("provenance"), m.get("config"));
        line("<p class=\"muted\">" + esc(generated) + "</p>");
        line("</body></html>");
    }

    private void confusion(JsonNode confusion) {
        line("<h2>Confusion matrix</h2>");
        line("<p>Final model on the test set: rows are the true digit, columns the predicted one. Green: correct "
                + "(darker = higher recall); red: errors (darker = more of them).</p>");
        long maxError = 1;
        for (int a = 0; a < confusion.size(); a++) {
            for (int p = 0; p < confusion.get(a).size(); p++) {
                if (a != p) {
                    maxError = Math.max(maxError, confusion.get(a).get(p).asLong());
                }
            }
        }
        StringBuilder head = new StringBuilder("<table class=\"confusion\" id=\"confusion\"><tr><th>true \\ predicted</th>");
        for (int p = 0; p < confusion.size(); p++) {
            head.append("<th>").append(p).append("</th>");
        }
        line(head.append("</tr>").toString());
        for (int a = 0; a < confusion.size(); a++) {
            JsonNode row = confusion.get(a);
            long rowTotal = 0;
            for (JsonNode c : row) {
                rowTotal += c.asLong();
            }
            StringBuilder tr = new StringBuilder("<tr><th>").append(a).append("</th>");
            for (int p = 0; p < row.size(); p++) {
                long count = row.get(p).asLong();
                String colour;
                if (a == p) {
                    double recall = rowTotal == 0 ? 0 : (double) count / rowTotal;
                    colour = String.format(Locale.ROOT, "hsl(120,55%%,%d%%)", Math.round(92 - 50 * recall));
                } else if (count == 0) {
                    colour = "#fff";
                } else {
                    colour = String.format(Locale.ROOT, "hsl(0,75%%,%d%%)", Math.round(95 - 45.0 * count / maxError));
                }
                tr.append("<td style=\"background:").append(colour).append("\">").append(count).append("</td>");
            }
            line(tr.append("</tr>").toString());
        }
        line("</table>");
    }

    private void perDigit(JsonNode perClass) {
        line("<h2>Per digit</h2>");
        line("<table id=\"per-digit\"><tr><th>digit</th><th>precision</th><th>recall</th><th>F1</th><th>test images</th></tr>");
        for (JsonNode c : perClass) {
            line("<tr><td>" + c.get("digit").asInt() + "</td><td>" + fixed(c.get("precision").asDouble(), 4) + "</td><td>"
                    + fixed(c.get("recall").asDouble(), 4) + "</td><td>" + fixed(c.get("f1").asDouble(), 4) + "</td><td>"
                    + c.get("support").asLong() + "</td></tr>");
        }
        line("</table>");
    }

    private void gallery(Misclassified gallery, String outputName) {
        line("<h2>Misclassified test digits</h2>");
        line("<p id=\"gallery-summary\">" + gallery.total() + " of " + gallery.examined() + " test images are "
                + "misclassified; the first " + gallery.examples().size() + " in test-set order. Caption: test index, "
                + "true &rarr; predicted digit, and the network's " + outputName + " for the predicted digit.</p>");
        line("<div class=\"gallery\" id=\"gallery\">");
        for (Misclassified.Example e : gallery.examples()) {
            String png = Base64.getEncoder().encodeToString(DigitImages.png(e, DigitImages.SCALE));
            line("<figure><img alt=\"test image " + e.index() + ": a " + e.label() + " taken for a " + e.predicted()
                    + "\" src=\"data:image/png;base64," + png + "\"><figcaption>#" + e.index() + "<br><b>" + e.label()
                    + " &rarr; " + e.predicted() + "</b> " + fixed(e.predictedOutput(), 2) + "</figcaption></figure>");
        }
        line("</div>");
    }

    private void timing(JsonNode m, Map<String, String> charts, boolean inProgress) {
        line("<h2>Time</h2>");
        line("<div class=\"charts\">");
        chart(charts, "epoch-times");
        chart(charts, "averaging");
        line("</div>");
        JsonNode phases = m.at("/timing/phases");
        StringBuilder t = new StringBuilder("<table id=\"phases\"><tr><th class=\"l\">phase</th><th>seconds</th></tr>");
        for (Iterator<Map.Entry<String, JsonNode>> it = phases.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> phase = it.next();
            t.append("<tr><td class=\"l\">").append(esc(phase.getKey().replace('_', ' '))).append("</td><td>")
                    .append(fixed(phase.getValue().asDouble(), 1)).append("</td></tr>");
        }
        t.append("<tr><th class=\"l\">total</th><th>").append(fixed(m.at("/timing/total_seconds").asDouble(), 1))
                .append("</th></tr></table>");
        line(t.toString());
        JsonNode averaging = m.at("/timing/averaging");
        if (inProgress) {
            line("<p class=\"muted\">The parameter-averaging statistics appear when the run ends.</p>");
            return;
        }
        if (averaging.isMissingNode() || averaging.isNull()) {
            line("<p class=\"muted\">No parameter-averaging statistics (spark.training-stats = false).</p>");
            return;
        }
        line("<h3>Parameter averaging (DL4J training statistics)</h3>");
        line("<p id=\"averaging-summary\">Totals over all epochs: " + averaging.get("averagings").asLong() + " averaging rounds"
                + (averaging.has("mini_batches") ? ", " + averaging.get("mini_batches").asLong() + " mini-batches fitted" : "")
                + ". The aggregate job of a round includes the workers' fitting; worker fit is the mean over the "
                + "workers.</p>");
        StringBuilder a = new StringBuilder("<table id=\"averaging\"><tr><th class=\"l\">phase</th><th>seconds</th></tr>");
        for (String[] row : List.of(new String[]{"count + cache", "count_seconds"}, new String[]{"split", "split_seconds"},
                new String[]{"repartition", "repartition_seconds"}, new String[]{"broadcast", "broadcast_seconds"},
                new String[]{"aggregate job", "aggregate_seconds"}, new String[]{"&nbsp;&nbsp;of which worker fit", "worker_fit_seconds"},
                new String[]{"average parameters", "process_params_seconds"}, new String[]{"export", "export_seconds"})) {
            a.append("<tr><td class=\"l\">").append(row[0]).append("</td><td>")
                    .append(fixed(averaging.get(row[1]).asDouble(), 2)).append("</td></tr>");
        }
        line(a.append("</table>").toString());
    }

    private void provenance(JsonNode p, JsonNode config) {
        line("<h2>Provenance</h2>");
        StringBuilder t = new StringBuilder("<table id=\"provenance\">");
        for (String[] row : List.of(new String[]{"command", "command"}, new String[]{"mnist-spark", "mnist_spark"},
                new String[]{"Spark", "spark"}, new String[]{"DL4J", "dl4j"}, new String[]{"Java", "java"},
                new String[]{"Spark master", "master"}, new String[]{"executors", "executors"},
                new String[]{"workers", "workers"}, new String[]{"started", "started"}, new String[]{"finished", "finished"})) {
            t.append("<tr><th class=\"l\">").append(row[0]).append("</th><td class=\"l\">")
                    .append(esc(p.path(row[1]).asText("-"))).append("</td></tr>");
        }
        line(t.append("</table>").toString());
        line("<table id=\"inputs\"><tr><th class=\"l\">input</th><th class=\"l\">path</th><th class=\"l\">SHA-256</th></tr>");
        JsonNode sums = p.path("inputs_sha256");
        for (Iterator<Map.Entry<String, JsonNode>> it = p.path("inputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> input = it.next();
            line("<tr><td class=\"l\">" + esc(input.getKey()) + "</td><td class=\"l\"><code>" + esc(input.getValue().asText())
                    + "</code></td><td class=\"l\"><code>" + esc(sums.path(input.getKey()).asText("-")) + "</code></td></tr>");
        }
        line("</table>");
        line("<h3>Resolved configuration</h3>");
        List<String> lines = new ArrayList<>();
        flatten("", config, lines);
        line("<pre id=\"config\">" + esc(String.join("\n", lines)) + "</pre>");
    }

    private static void flatten(String prefix, JsonNode node, List<String> lines) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), lines);
            }
        } else {
            lines.add(prefix + " = " + node);
        }
    }

    private void chart(Map<String, String> charts, String name) {
        String file = charts.get(name);
        if (file != null) {
            line("<img class=\"chart\" id=\"chart-" + name + "\" src=\"" + esc(file) + "\" alt=\"" + name + " chart\" width=\""
                    + ReportCharts.WIDTH + "\" height=\"" + ReportCharts.HEIGHT + "\">");
        }
    }

    /** The class count: recorded with the data, else the size of the test confusion matrix, else 10. */
    private static int classes(JsonNode m) {
        int recorded = m.path("data").path("classes").asInt(0);
        if (recorded > 0) {
            return recorded;
        }
        JsonNode confusion = m.path("test").path("confusion");
        return confusion.isArray() && confusion.size() > 0 ? confusion.size() : 10;
    }

    private static String network(JsonNode config, int inputs, int classes) {
        JsonNode n = config.path("network");
        StringBuilder layers = new StringBuilder(Integer.toString(inputs));
        n.path("hidden-layers").forEach(size -> layers.append('-').append(size.asInt()));
        return "network " + layers + "-" + classes + " " + n.path("activation").asText() + " / " + n.path("output-activation").asText()
                + ", " + n.path("loss").asText() + " loss";
    }

    private static String outputName(JsonNode config) {
        return "softmax".equals(config.path("network").path("output-activation").asText())
                ? "probability (softmax output)" : "output activation (" + config.path("network").path("output-activation").asText() + ")";
    }

    static String summary(JsonNode test) {
        return test.get("correct").asLong() + " / " + test.get("total").asLong() + " (" + pct(test.get("accuracy").asDouble()) + ")";
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String seconds(double s) {
        return s < 120 ? fixed(s, 1) + " s" : String.format(Locale.ROOT, "%d min %02d s", (long) s / 60, Math.round(s) % 60);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private void line(String s) {
        html.append(s).append('\n');
    }
}
