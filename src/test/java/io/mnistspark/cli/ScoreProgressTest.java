package io.mnistspark.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreProgressTest {
    @Test
    void theLineSaysScoredOfTotalRateAndEta() {
        assertEquals("Scoring: 25000 / 100000 images (25%)  5000 images/s  ETA 15 s", ScoreProgress.line(25000, 100000, 5.0));
        assertEquals("Scoring: 0 / 6000000 images (0%)  starting", ScoreProgress.line(0, 6000000, 3.0));
        assertEquals("Scoring: 3000000 / 6000000 images (50%)  50000 images/s  ETA 1 min 00 s",
                ScoreProgress.line(3000000, 6000000, 60.0));
    }

    @Test
    void logsGetPlainLinesThatFollowTheCountAndStopAtClose() throws InterruptedException {
        StringWriter text = new StringWriter();
        AtomicLong done = new AtomicLong();
        AtomicBoolean detached = new AtomicBoolean();
        try (ScoreProgress progress = new ScoreProgress(new PrintWriter(text), false, 20, 1000, done::get,
                () -> detached.set(true))) {
            Thread.sleep(150);
            done.set(400);
            Thread.sleep(150);
        }
        String out = text.toString();
        assertTrue(detached.get(), "the listener is removed");
        assertFalse(out.contains("\r"), out);
        assertTrue(out.lines().anyMatch(l -> l.equals("Scoring: 0 / 1000 images (0%)  starting")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("Scoring: 400 / 1000 images (40%)  ") && l.contains(" images/s  ETA ")), out);
        Thread.sleep(100);
        assertEquals(out, text.toString(), "nothing after close");
    }

    @Test
    void aTerminalGetsOneLineRewrittenThenErased() throws InterruptedException {
        StringWriter text = new StringWriter();
        try (ScoreProgress progress = new ScoreProgress(new PrintWriter(text), true, 20, 10, () -> 5, () -> { })) {
            Thread.sleep(150);
        }
        String out = text.toString();
        assertFalse(out.contains("\n"), out);
        assertTrue(out.startsWith("\rScoring: 5 / 10 images (50%)"), out);
        assertTrue(out.endsWith(" \r"), "erased at the end: " + out);
    }
}
