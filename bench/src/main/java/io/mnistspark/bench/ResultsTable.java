package io.mnistspark.bench;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/** Medians over repeated {@link BenchRun}s of each candidate, as a Markdown table and a JSON summary. */
final class ResultsTable {
    /** Candidates from outside this project (bench/peers), compared with the pipeline in the same run. */
    static final java.util.Set<String> PEERS = java.util.Set.of("pytorch-cpu", "numpy");

    private final Map<String, List<BenchRun>> groups = new LinkedHashMap<>();
    private final Map<String, Double> targets;

    ResultsTable(List<BenchRun> runs, Map<String, Double> targets) {
        for (BenchRun run : runs) {
            groups.computeIfAbsent(run.candidate() + " | " + run.config() + " | " + run.workers(),
                    k -> new ArrayList<>()).add(run);
        }
        this.targets = targets;
    }

    static double median(double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        int mid = finite.length / 2;
        return finite.length % 2 == 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
    }

    private static double median(List<BenchRun> runs, ToDoubleFunction<BenchRun> value) {
        return median(runs.stream().mapToDouble(value).toArray());
    }

    /** The median over all runs, a run that never reached {@code target} counting as infinitely slow; NaN if that is the median. */
    static double medianTimeTo(List<BenchRun> runs, double target) {
        double[] times = runs.stream().mapToDouble(r -> r.wallSecondsTo(target))
                .map(t -> Double.isNaN(t) ? Double.POSITIVE_INFINITY : t).sorted().toArray();
        int mid = times.length / 2;
        double median = times.length % 2 == 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
        return Double.isFinite(median) ? median : Double.NaN;
    }

    private static double medianFit(BenchRun run) {
        return median(run.epochs().stream().mapToDouble(BenchRun.Epoch::fitSeconds).toArray());
    }

    private double target(BenchRun run) {
        return targets.getOrDefault(run.config().split(" ")[0], 0.95);
    }

    /** One summary row per candidate and configuration: medians over its runs. */
    List<Map<String, Object>> summary() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<BenchRun> runs : groups.values()) {
            BenchRun first = runs.get(0);
            double target = target(first);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("candidate", first.candidate());
            row.put("config", first.config());
            row.put("workers", first.workers());
            row.put("runs", runs.size());
            row.put("epochs", first.epochs().size());
            row.put("fit_seconds_per_epoch", median(runs, ResultsTable::medianFit));
            row.put("fit_cpu_seconds_per_epoch", median(runs, r -> median(r.epochs().stream()
                    .mapToDouble(BenchRun.Epoch::fitCpuSeconds).toArray())));
            row.put("evaluation_seconds_per_epoch", median(runs, r -> median(r.epochs().stream()
                    .mapToDouble(BenchRun.Epoch::evaluationSeconds).toArray())));
            row.put("examples_per_second", examplesPerSecond(runs));
            row.put("startup_seconds", median(runs, BenchRun::startupSeconds));
            row.put("setup_seconds", median(runs, BenchRun::setupSeconds));
            row.put("target_accuracy", target);
            row.put("seconds_to_target", medianTimeTo(runs, target));
            row.put("runs_reaching_target", runs.stream().filter(r -> Double.isFinite(r.wallSecondsTo(target))).count());
            row.put("final_accuracy", median(runs, BenchRun::finalAccuracy));
            row.put("total_seconds", median(runs, r -> r.epochs().get(r.epochs().size() - 1).wallSeconds()));
            row.put("peak_rss_mb", median(runs, BenchRun::peakRssMb));
            row.put("load_averages", runs.stream().map(BenchRun::machineLoad).toList());
            rows.add(row);
        }
        return rows;
    }

    /** The groups of this project's pipeline (one per configuration and worker count). */
    private List<List<BenchRun>> pipelineGroups() {
        return groups.values().stream().filter(g -> g.get(0).candidate().equals("pipeline")).toList();
    }

    /** Median over the runs of training examples per second of median fitting time. */
    private static double examplesPerSecond(List<BenchRun> runs) {
        return median(runs, r -> r.trainingExamples() / medianFit(r));
    }

    /**
     * What a peer and a pipeline run must share to be compared: the preset and the overrides the peers follow
     * (batch size, learning rate); the number of epochs may differ.
     */
    static String peerSetting(String config) {
        StringBuilder key = new StringBuilder(config.split(" ")[0]);
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("training\\.(batch-size|learning-rate)=([0-9.eE+-]+)").matcher(config);
        java.util.TreeMap<String, Double> settings = new java.util.TreeMap<>();
        while (m.find()) {
            settings.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        settings.forEach((k, v) -> key.append(' ').append(k).append('=').append(v));
        return key.toString();
    }

    /** Ratios the targets are stated in, computed from the groups that are present. */
    List<String> comparisons() {
        List<String> lines = new ArrayList<>();
        List<BenchRun> all = groups.values().stream().flatMap(List::stream).toList();
        for (List<BenchRun> pipeline : pipelineGroups()) {
            BenchRun p = pipeline.get(0);
            for (List<BenchRun> other : groups.values()) {
                BenchRun o = other.get(0);
                if (o.candidate().equals("dl4j-single-process") && o.config().equals(p.config())) {
                    lines.add(String.format(Locale.ROOT,
                            "- %s: pipeline with %d worker(s) processes %.2fx the examples per second of single-process DL4J",
                            p.config(), p.workers(), examplesPerSecond(pipeline)
                                    / examplesPerSecond(other)));
                }
                if (o.candidate().startsWith("mllib-mlpc") && o.config().equals(p.config())) {
                    double mlpcAccuracy = median(other, BenchRun::finalAccuracy);
                    double mlpcSeconds = median(other, r -> r.epochs().get(0).wallSeconds());
                    double ours = medianTimeTo(pipeline, mlpcAccuracy);
                    if (!Double.isFinite(ours)) {
                        lines.add(String.format(Locale.ROOT,
                                "- %s: MLPC reaches %.2f%% at %.1f s (start included); the pipeline with %d worker(s) did not reach it",
                                p.config(), 100 * mlpcAccuracy, mlpcSeconds, p.workers()));
                        continue;
                    }
                    lines.add(String.format(Locale.ROOT,
                            "- %s: MLPC reaches %.2f%% at %.1f s (start included); the pipeline with %d worker(s) reaches it at %.1f s: %.1fx sooner",
                            p.config(), 100 * mlpcAccuracy, mlpcSeconds, p.workers(), ours, mlpcSeconds / ours));
                }
            }
        }
        for (List<BenchRun> pipeline : pipelineGroups()) {
            BenchRun p = pipeline.get(0);
            for (List<BenchRun> peer : groups.values()) {
                BenchRun o = peer.get(0);
                if (!PEERS.contains(o.candidate()) || !peerSetting(o.config()).equals(peerSetting(p.config()))) {
                    continue;
                }
                double ours = examplesPerSecond(pipeline);
                double theirs = examplesPerSecond(peer);
                lines.add(String.format(Locale.ROOT,
                        "- %s: pipeline with %d worker(s) processes %.2fx the examples per second of %s (%d thread(s))"
                                + "; fit s/epoch %.2f against %.2f: %.2fx",
                        p.config(), p.workers(), ours / theirs, o.candidate(), o.workers(),
                        median(pipeline, ResultsTable::medianFit), median(peer, ResultsTable::medianFit),
                        median(pipeline, ResultsTable::medianFit) / median(peer, ResultsTable::medianFit)));
                double target = target(p);
                double oursTo = medianTimeTo(pipeline, target);
                double theirsTo = medianTimeTo(peer, target);
                lines.add(String.format(Locale.ROOT,
                        "- %s: wall time to %.1f%% test accuracy from process start: pipeline (%d worker(s)) %s, %s %s",
                        p.config(), 100 * target, p.workers(), seconds(oursTo), o.candidate(), seconds(theirsTo)));
            }
        }
        if (all.isEmpty()) {
            lines.add("- no runs");
        }
        return lines;
    }

    private static String seconds(double s) {
        return Double.isFinite(s) ? String.format(Locale.ROOT, "%.1f s", s) : "not reached";
    }

    String markdown(String machine) {
        StringBuilder md = new StringBuilder();
        md.append("| candidate | config | workers | runs | epochs | fit s/epoch | CPU s/epoch | eval s/epoch | examples/s | start-up s | set-up s | target | s to target | final acc | total s | peak RSS MB |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> row : summary()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2f | %.2f | %.2f | %.0f | %.1f | %.1f | %.1f%% | %s | %.2f%% | %.1f | %.0f |%n",
                    row.get("candidate"), row.get("config"), row.get("workers"), row.get("runs"), row.get("epochs"),
                    (double) row.get("fit_seconds_per_epoch"), (double) row.get("fit_cpu_seconds_per_epoch"),
                    (double) row.get("evaluation_seconds_per_epoch"),
                    (double) row.get("examples_per_second"), (double) row.get("startup_seconds"),
                    (double) row.get("setup_seconds"), 100 * (double) row.get("target_accuracy"),
                    Double.isFinite((double) row.get("seconds_to_target"))
                            ? String.format(Locale.ROOT, "%.1f (%s/%s runs)", (double) row.get("seconds_to_target"),
                            row.get("runs_reaching_target"), row.get("runs"))
                            : "not reached",
                    100 * (double) row.get("final_accuracy"), (double) row.get("total_seconds"),
                    (double) row.get("peak_rss_mb")));
        }
        md.append('\n');
        comparisons().forEach(line -> md.append(line).append('\n'));
        md.append('\n').append(machine).append('\n');
        return md.toString();
    }

    @picocli.CommandLine.Command(name = "table", description = "Medians of the runs in a JSON-lines file.")
    static final class Command implements Callable<Integer> {
        @Option(names = "--in", required = true)
        Path in;

        @Option(names = "--markdown", required = true)
        Path markdown;

        @Option(names = "--json", required = true)
        Path json;

        @Option(names = "--target", description = "CONFIG=ACCURACY, e.g. nielsen=0.95 (default 0.95)")
        Map<String, Double> targets = new LinkedHashMap<>();

        @Option(names = "--machine", defaultValue = "", description = "Machine description to print under the table")
        String machine;

        @Override
        public Integer call() throws IOException {
            List<BenchRun> runs = new ArrayList<>();
            for (String line : Files.readAllLines(in, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    runs.add(TrainBenchmark.JSON.readValue(line, BenchRun.class));
                }
            }
            ResultsTable table = new ResultsTable(runs, targets);
            Files.writeString(markdown, table.markdown(machine), StandardCharsets.UTF_8);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("summary", table.summary());
            summary.put("comparisons", table.comparisons());
            summary.put("runs", runs);
            TrainBenchmark.JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), summary);
            System.out.print(table.markdown(machine));
            return 0;
        }
    }
}
