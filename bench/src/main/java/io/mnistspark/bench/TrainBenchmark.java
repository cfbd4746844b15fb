package io.mnistspark.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench/train}'s Java side. {@code run} measures one candidate in this JVM and appends one JSON line
 * to a results file; {@code table} turns the lines of several runs into medians ({@link ResultsTable}).
 * Each candidate runs in a JVM of its own so that start-up time and peak memory are its own.
 */
@Command(name = "train-benchmark", subcommands = {TrainBenchmark.Run.class, ResultsTable.Command.class})
public final class TrainBenchmark {
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) {
        io.mnistspark.model.NativeBuild.select(); // as the product's JVMs do; a -D the script passes wins
        int code = new CommandLine(new TrainBenchmark()).execute(args);
        System.exit(code);
    }

    @Command(name = "run", description = "Measure one candidate and append its result as a JSON line.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--candidate", required = true, description = "pipeline, dl4j or mlpc")
        String candidate;

        @Option(names = "--conf", required = true)
        java.nio.file.Path conf;

        @Option(names = "--data", required = true)
        String data;

        @Option(names = "--set", description = "configuration overrides, as train's --set")
        Map<String, String> set = new LinkedHashMap<>();

        @Option(names = "--workers", description = "overrides spark.workers (not part of the configuration's name)")
        Integer workers;

        @Option(names = "--variant", description = "a label appended to the configuration's name, e.g. generic-build")
        String variant;

        @Option(names = "--mlpc-iterations", defaultValue = "60")
        int mlpcIterations;

        @Option(names = "--append", required = true, description = "JSON-lines file to append the result to")
        java.nio.file.Path append;

        @Override
        public Integer call() throws IOException {
            ConfigLoader loader = new ConfigLoader().file(conf);
            set.forEach(loader::override);
            if (workers != null) {
                loader.override("spark.workers", workers.toString());
            }
            RunConfig config = loader.load();
            String name = conf.getFileName().toString().replaceFirst("\\.conf$", "")
                    + (set.isEmpty() ? "" : " " + set) + (variant == null ? "" : " [" + variant + "]");
            BenchRun result = switch (candidate) {
                case "pipeline" -> PipelineCandidate.run(config, name, new Path(data));
                case "dl4j" -> SingleProcessCandidate.run(config, name, new Path(data));
                case "mlpc" -> MlpcCandidate.run(config, name, new Path(data), mlpcIterations);
                default -> throw new CommandLine.ParameterException(new CommandLine(this),
                        "--candidate must be pipeline, dl4j or mlpc, not " + candidate);
            };
            Files.writeString(append, JSON.writeValueAsString(result) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.printf(java.util.Locale.ROOT, "%s %s: final %.2f%%, %.2f s/epoch (median fit), peak RSS %.0f MB%n",
                    result.candidate(), name, 100 * result.finalAccuracy(),
                    ResultsTable.median(result.epochs().stream().mapToDouble(BenchRun.Epoch::fitSeconds).toArray()),
                    result.peakRssMb());
            return 0;
        }
    }
}
