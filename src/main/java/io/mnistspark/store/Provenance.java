package io.mnistspark.store;

import io.mnistspark.model.NativeBuild;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where and with what an output was made: versions, the ND4J CPU build the driver loaded, Spark master and executors, inputs (file name -> path)
 * and their SHA-256 ({@code inputsSha256}, file name -> hex), start and end.
 */
public record Provenance(String mnistSpark, String spark, String dl4j, String nd4jBuild, String java, String master,
                         int executors, int workers, String command, Map<String, String> inputs,
                         String started, String finished, Map<String, String> inputsSha256) {

    public static Provenance of(JavaSparkContext sc, int workers, String command,
                                Map<String, String> inputs, Instant started) {
        return new Provenance(
                version("io.mnistspark", "mnist-spark"),
                sc.version(),
                version("org.deeplearning4j", "deeplearning4j-nn"),
                NativeBuild.describe(),
                System.getProperty("java.version"),
                sc.master(),
                Math.max(1, sc.sc().getExecutorMemoryStatus().size() - (sc.master().startsWith("local") ? 0 : 1)),
                workers, command, inputs, started.toString(), Instant.now().toString(),
                FileChecksums.sha256OnExecutors(sc, inputs));
    }

    /**
     * The provenance of a run still training (its live report): no end time and no checksums yet (they are
     * computed once, at the end).
     */
    public static Provenance inProgress(JavaSparkContext sc, int workers, String command, Map<String, String> inputs,
                                        Instant started) {
        return new Provenance(version("io.mnistspark", "mnist-spark"), sc.version(),
                version("org.deeplearning4j", "deeplearning4j-nn"), NativeBuild.describe(), System.getProperty("java.version"),
                sc.master(),
                Math.max(1, sc.sc().getExecutorMemoryStatus().size() - (sc.master().startsWith("local") ? 0 : 1)),
                workers, command, inputs, started.toString(), null, Map.of());
    }

    /** File name -> fully qualified path (with its file system's scheme) of each input file. */
    public static Map<String, String> inputs(List<Path> files, Configuration hadoop) {
        Map<String, String> inputs = new LinkedHashMap<>();
        for (Path file : files) {
            String qualified;
            try {
                qualified = file.getFileSystem(hadoop).makeQualified(file).toString();
            } catch (IOException e) {
                qualified = file.toString();
            }
            inputs.put(file.getName(), qualified);
        }
        return inputs;
    }

    /** The version Maven recorded in the artifact's jar, or "unknown" when running from classes. */
    static String version(String group, String artifact) {
        String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Provenance.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
