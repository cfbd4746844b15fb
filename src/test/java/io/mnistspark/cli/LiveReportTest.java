package io.mnistspark.cli;

import io.mnistspark.data.IdxFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code report.html} while {@code train} runs: read as a browser would, between and during the epochs. */
class LiveReportTest {
    private static final Pattern ROW = Pattern.compile("<tr><td>(\\d+)</td>");
    private static final Pattern CHART = Pattern.compile("src=\"(report/[a-z-]+\\.png)\"");

    @TempDir
    Path dir;

    @Test
    void theReportIsRewrittenAfterEveryEpochMarkedInProgressAndFinalAtTheEnd() throws Exception {
        Path data = IdxFixtures.writeDataset(dir.resolve("data"), IdxFixtures.learnable(600, 28, 28, 1),
                IdxFixtures.learnable(200, 28, 28, 2));
        Path out = dir.resolve("run");
        Path page = out.resolve("report.html");
        CompletableFuture<Cli> training = CompletableFuture.supplyAsync(() -> Cli.run("train", "--data",
                data.toString(), "--out", out.toString(), "--epochs", "3", "--set", "training.validation-size=100",
                "--set", "network.hidden-layers=[16]", "--set", "spark.averaging-frequency=5"));
        Map<Integer, String> inProgress = new LinkedHashMap<>(); // epochs on the page -> the page
        while (!training.isDone()) {
            String html = read(page);
            if (html != null && html.contains("id=\"progress\"")) {
                assertTrue(html.strip().endsWith("</html>"), "a whole page, never half of one: " + html);
                for (Matcher chart = CHART.matcher(html); chart.find(); ) {
                    Path png = out.resolve(chart.group(1));
                    assertNotNull(ImageIO.read(png.toFile()), "a whole chart: " + png);
                }
                inProgress.putIfAbsent(rows(html), html);
            }
            Thread.sleep(20);
        }
        Cli train = training.get();
        assertEquals(0, train.code(), train.toString());
        assertTrue(train.out().contains("Report (rewritten after every epoch): "), train.out());
        assertTrue(train.out().lines().anyMatch(l -> l.startsWith("Report (rewritten after every epoch): ")
                && l.endsWith("report.html")), train.out());

        assertTrue(inProgress.containsKey(1) && inProgress.containsKey(2), "pages read mid-run: " + inProgress.keySet());
        for (Map.Entry<Integer, String> mid : inProgress.entrySet()) {
            String html = mid.getValue();
            int epochs = mid.getKey();
            assertTrue(html.contains("in progress: epoch " + epochs + " of 3"), html);
            assertTrue(html.contains("<meta http-equiv=\"refresh\""), html);
            assertFalse(html.contains("id=\"confusion\""), "no final evaluation yet");
            assertTrue(html.contains("<img class=\"chart\" id=\"chart-accuracy\""), html);
        }
        String last = Files.readString(page);
        assertEquals(3, rows(last));
        assertFalse(last.contains("in progress") || last.contains("http-equiv=\"refresh\""), "the final page stays");
        assertTrue(last.contains("id=\"confusion\"") && last.contains("id=\"best-validation\""), last);
        assertFalse(Files.exists(out.resolve("_temporary")), "nothing left of the atomic writes");
    }

    /** The page, or null when it is not there yet. */
    private static String read(Path page) throws IOException {
        try {
            return Files.readString(page);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The rows of the epochs table. */
    private static int rows(String html) {
        int table = html.indexOf("<table id=\"epochs\">");
        String epochs = html.substring(table, html.indexOf("</table>", table));
        int rows = 0;
        for (Matcher m = ROW.matcher(epochs); m.find(); ) {
            rows++;
        }
        return rows;
    }
}
