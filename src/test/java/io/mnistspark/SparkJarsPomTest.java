package io.mnistspark;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * submit/spark-jars/pom.xml lists the jars of the Spark home that the dev cluster and local-cluster mode run
 * their executors from: it must name the Spark, Scala and Jackson versions the application is built against.
 */
class SparkJarsPomTest {
    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertTrue(m.find(), name + " in " + pom.substring(0, Math.min(80, pom.length())));
        return m.group(1).trim();
    }

    @Test
    void namesTheVersionsOfTheBuild() throws IOException {
        String sparkJars = Files.readString(Path.of("submit", "spark-jars", "pom.xml"));
        String main = Files.readString(Path.of("pom.xml"));
        assertEquals(org.apache.spark.package$.MODULE$.SPARK_VERSION(), property(sparkJars, "spark.version"));
        assertEquals(property(main, "spark.version"), property(sparkJars, "spark.version"));
        assertEquals(property(main, "scala.binary.version"), property(sparkJars, "scala.binary.version"));
        // the YARN client compiles against (provided) and the one the dev YARN's containers run are the same
        assertEquals(property(main, "spark-yarn.version"), property(sparkJars, "spark-yarn.version"));
        assertTrue(sparkJars.contains("<artifactId>jackson-bom</artifactId>\n        <version>"
                + property(main, "jackson.version") + "</version>"), "jackson-bom " + property(main, "jackson.version"));
        assertTrue(sparkJars.contains("<artifactId>slf4j-api</artifactId>\n        <version>"
                + property(main, "slf4j.version") + "</version>"), "slf4j-api " + property(main, "slf4j.version"));
    }
}
