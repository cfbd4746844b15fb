package io.mnistspark.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmark reads off its own JVM: seconds since it started, peak resident memory, load average. */
final class ProcessFacts {
    private ProcessFacts() {
    }

    /**
     * Seconds since this process started, as the operating system counts it (the Python peers read the same from
     * /proc). The JVM's own start time comes after it has set up its heap: 2.8 s later with a pre-touched 1 GB heap
     * on this machine, which the figures before 2026-12-01 22:32 UTC left out.
     */
    static double wallSeconds() {
        long started = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
                .orElse(ManagementFactory.getRuntimeMXBean().getStartTime());
        return (System.currentTimeMillis() - started) / 1000.0;
    }

    /** VmHWM of this process in MB (Linux); NaN where /proc is not available. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** The 1-minute load average, to tell a quiet machine's figures from a busy one's. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** CPU seconds used by this JVM so far, all threads (Spark's executors run in it in local mode). */
    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
