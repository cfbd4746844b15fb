package io.mnistspark.train;

import org.deeplearning4j.spark.api.stats.CommonSparkTrainingStats;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingMasterStats;
import org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingWorkerStats;
import org.deeplearning4j.spark.stats.EventStats;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the fitting time of one epoch went, from DL4J's {@link SparkTrainingStats} of the parameter-averaging
 * training master, in seconds. The driver-side phases run one after the other: {@code count} (counting the
 * epoch's mini-batches, which also builds and caches them), {@code split} (cutting the epoch into averaging
 * rounds), {@code repartition}, {@code broadcast} (the parameters sent to the workers), {@code aggregate} (the
 * Spark job of a round: the workers fit their mini-batches, then their parameters are tree-aggregated), and
 * {@code processParams} (averaging on the driver), plus {@code export} for the export approach.
 * {@code workerFit} is the time the workers spent fitting mini-batches, as the mean over the workers (it is
 * part of {@code aggregate}). {@code averagings} is the number of averaging rounds, {@code miniBatches} the
 * number of mini-batches the workers fitted; {@code epoch} is 0 for a
 * total over epochs.
 */
public record AveragingTimes(int epoch, int averagings, long miniBatches, double countSeconds, double splitSeconds, double repartitionSeconds,
                             double broadcastSeconds, double aggregateSeconds, double processParamsSeconds, double workerFitSeconds,
                             double exportSeconds) {

    /** The sum over the epochs, with epoch 0. */
    public static AveragingTimes total(List<AveragingTimes> epochs) {
        AveragingTimes sum = new AveragingTimes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        for (AveragingTimes e : epochs) {
            sum = new AveragingTimes(0, sum.averagings + e.averagings, sum.miniBatches + e.miniBatches,
                    sum.countSeconds + e.countSeconds,
                    sum.splitSeconds + e.splitSeconds, sum.repartitionSeconds + e.repartitionSeconds,
                    sum.broadcastSeconds + e.broadcastSeconds, sum.aggregateSeconds + e.aggregateSeconds,
                    sum.processParamsSeconds + e.processParamsSeconds, sum.workerFitSeconds + e.workerFitSeconds,
                    sum.exportSeconds + e.exportSeconds);
        }
        return new AveragingTimes(0, sum.averagings, sum.miniBatches, ms(sum.countSeconds), ms(sum.splitSeconds),
                ms(sum.repartitionSeconds), ms(sum.broadcastSeconds), ms(sum.aggregateSeconds),
                ms(sum.processParamsSeconds), ms(sum.workerFitSeconds), ms(sum.exportSeconds));
    }

    /** Rounded to milliseconds, the resolution of DL4J's timings. */
    private static double ms(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /**
     * @param stats   the statistics collected over exactly one epoch
     * @param workers the number of workers, to turn the workers' summed fitting time into a mean
     */
    public static AveragingTimes of(int epoch, SparkTrainingStats stats, int workers) {
        Map<String, long[]> sums = sums(stats);
        return new AveragingTimes(epoch,
                (int) events(sums, ParameterAveragingTrainingMasterStats.PARAMETER_AVERAGING_MASTER_AGGREGATE_TIMES_MS),
                events(sums, ParameterAveragingTrainingWorkerStats.PARAMETER_AVERAGING_WORKER_FIT_TIMES_MS),
                seconds(sums, ParameterAveragingTrainingMasterStats.PARAMETER_AVERAGING_MASTER_COUNT_RDD_TIMES_MS),
                seconds(sums, ParameterAveragingTrainingMasterStats.PARAMETER_AVERAGING_MASTER_SPLIT_TIMES_MS),
                seconds(sums, ParameterAveragingTrainingMasterStats.PARAMETER_AVERAGING_MASTER_REPARTITION_TIMES_MS),
                seconds(sums, ParameterAveragingTrainingMasterStats.PARAMETER_AVERAGING_MASTER_BROADCAST_CREATE_TIMES_MS),
                seconds(sums, ParameterAveragingTrainingMasterStats.PARAMETER_AVERAGING_MASTER_AGGREGATE_TIMES_MS),
                seconds(sums, ParameterAveragingTrainingMasterStats.PARAMETER_AVERAGING_MASTER_PROCESS_PARAMS_UPDATER_TIMES_MS),
                ms(seconds(sums, ParameterAveragingTrainingWorkerStats.PARAMETER_AVERAGING_WORKER_FIT_TIMES_MS) / Math.max(1, workers)),
                seconds(sums, ParameterAveragingTrainingMasterStats.PARAMETER_AVERAGING_MASTER_EXPORT_RDD_TIMES_MS));
    }

    /** Key -> {events, total milliseconds} over the statistics and the ones nested in them (workers'). */
    private static Map<String, long[]> sums(SparkTrainingStats stats) {
        Map<String, long[]> sums = new HashMap<>();
        Set<SparkTrainingStats> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<SparkTrainingStats> todo = new java.util.ArrayDeque<>();
        todo.add(stats);
        while (!todo.isEmpty()) {
            SparkTrainingStats s = todo.poll();
            if (!seen.add(s)) {
                continue;
            }
            for (String key : new HashSet<>(s.getKeySet())) {
                if (sums.containsKey(key)) {
                    continue;
                }
                List<EventStats> events = s.getValue(key);
                long[] sum = new long[2];
                if (events != null) {
                    for (EventStats event : events) {
                        sum[0]++;
                        sum[1] += event.getDurationMs();
                    }
                }
                sums.put(key, sum);
            }
            if (s.getNestedTrainingStats() != null) {
                todo.add(s.getNestedTrainingStats());
            }
            if (s instanceof ParameterAveragingTrainingMasterStats master && master.getWorkerStats() != null) {
                todo.add(master.getWorkerStats());
            }
            if (s instanceof CommonSparkTrainingStats common && common.getTrainingWorkerSpecificStats() != null) {
                todo.add(common.getTrainingWorkerSpecificStats());
            }
        }
        return sums;
    }

    private static double seconds(Map<String, long[]> sums, String key) {
        long[] sum = sums.get(key);
        return sum == null ? 0.0 : sum[1] / 1000.0;
    }

    private static long events(Map<String, long[]> sums, String key) {
        long[] sum = sums.get(key);
        return sum == null ? 0 : sum[0];
    }
}
