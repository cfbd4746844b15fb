package io.mnistspark.cli;

import io.mnistspark.train.EpochProgress;
import io.mnistspark.train.EpochResult;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressReporterTest {
    private static final EpochResult EPOCH = new EpochResult(3, 0.0123, 0.95, 0.9512, 9512, 10000, 4.5, 1.2);

    @Test
    void theLineSaysDoneTotalRateAndEta() {
        assertEquals("Epoch 3/30: 25000 / 50000 examples (50%)  5000 examples/s  ETA 5 s",
                ProgressReporter.line(3, 30, 25000, 50000, 5.0));
        assertEquals("Epoch 1/30: 0 / 50000 examples (0%)  starting", ProgressReporter.line(1, 30, 0, 50000, 2.0));
        assertEquals("2 min 05 s", ProgressReporter.duration(125));
        assertEquals("1 h 01 min", ProgressReporter.duration(3660));
    }

    @Test
    void logsGetPlainPeriodicLines() throws InterruptedException {
        StringWriter text = new StringWriter();
        try (ProgressReporter reporter = new ProgressReporter(new PrintWriter(text), false, 20)) {
            reporter.epochStarted(EpochProgress.of(3, 30, 50000, 20000));
            Thread.sleep(200);
            reporter.epochFinished(EPOCH, 30);
            String out = text.toString();
            assertFalse(out.contains("\r"), "no carriage returns in logs");
            assertTrue(out.lines().filter(l -> l.startsWith("Epoch 3/30: 20000 / 50000 examples (40%)  ")).count() >= 2, out);
            assertTrue(out.endsWith(ConsoleLines.epoch(EPOCH, 30) + System.lineSeparator()), out);
            Thread.sleep(100);
            assertEquals(out, text.toString(), "nothing more after the epoch");
        }
    }

    @Test
    void aTerminalGetsOneLineRewrittenAndErasedBeforeTheEpochLine() throws InterruptedException {
        StringWriter text = new StringWriter();
        try (ProgressReporter reporter = new ProgressReporter(new PrintWriter(text), true, 20)) {
            reporter.epochStarted(EpochProgress.of(3, 30, 50000, 20000));
            Thread.sleep(200);
            reporter.epochFinished(EPOCH, 30);
        }
        String out = text.toString();
        assertEquals(1, out.split("\n", -1).length - 1, "a single line: " + out);
        assertTrue(out.startsWith("\rEpoch 3/30: 20000 / 50000 examples (40%)"), out);
        String erased = out.substring(0, out.indexOf("Epoch 3/30: 9512"));
        assertTrue(erased.endsWith(" \r"), "the progress line is blanked out: " + erased);
    }
}
