package io.mnistspark.ml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library selects DL4J's system-clock time source itself: {@link PlainSessionFit} runs in a JVM of its own
 * whose SparkSession sets nothing (this test JVM's session does), and fits with training statistics on.
 */
class PlainSessionTimeSourceTest {
    @TempDir
    Path dir;

    @Test
    void fitInAPlainSparkSessionNeedsNoTimeServer() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-opens") || flag.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                    || flag.startsWith("-Djdk.reflect") || flag.startsWith("-Dlog4j2")) {
                command.add(flag);
            }
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        command.add("-cp");
        command.add(classpath.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator));
        command.add(PlainSessionFit.class.getName());
        Path log = dir.resolve("fit.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process fit = builder.start();
        assertTrue(fit.waitFor(3, TimeUnit.MINUTES), "the fit finished");
        String output = Files.readString(log);
        assertEquals(0, fit.exitValue(), output);
        assertTrue(output.contains("time source: org.deeplearning4j.spark.time.SystemClockTimeSource"), output);
        assertTrue(output.contains("fitted"), output);
        assertFalse(output.contains("NTPTimeSource"), output);
    }
}
