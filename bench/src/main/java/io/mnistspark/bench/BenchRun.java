package io.mnistspark.bench;

import java.util.List;

/**
 * One benchmark run of one candidate: when its set-up finished, what every epoch (or, for MLPC, the single
 * fit) took and reached, and the peak resident memory of its JVM. All times are seconds; {@code wall} times
 * count from the start of the JVM, so they include JVM, Spark and ND4J start-up.
 */
public record BenchRun(String candidate, String config, String data, int workers, int trainingExamples,
                       double startupSeconds, double setupSeconds, List<Epoch> epochs, double peakRssMb,
                       String machineLoad) {

    /** One epoch: fitting time (wall and this JVM's CPU time: on a busy machine the CPU time is the steadier figure), evaluation time, test accuracy after it, and the wall clock at its end. */
    public record Epoch(int epoch, double fitSeconds, double fitCpuSeconds, double evaluationSeconds,
                        double testAccuracy, double wallSeconds) {
    }

    public double finalAccuracy() {
        return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).testAccuracy();
    }

    /** Wall seconds (from JVM start) at the end of the first epoch reaching {@code target}; NaN if none did. */
    public double wallSecondsTo(double target) {
        return epochs.stream().filter(e -> e.testAccuracy() >= target).mapToDouble(Epoch::wallSeconds)
                .findFirst().orElse(Double.NaN);
    }
}
