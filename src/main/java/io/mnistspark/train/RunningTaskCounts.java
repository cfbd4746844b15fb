package io.mnistspark.train;

import org.apache.spark.Success$;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.Tuple4;
import scala.collection.JavaConverters;
import scala.collection.Seq;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One accumulator's count as the tasks of the jobs started after this listener was added have it, while they
 * run: every executor heartbeat ({@code spark.executor.heartbeatInterval}) carries the accumulator values of
 * its running tasks, which Spark hands to listeners in {@code onExecutorMetricsUpdate}; a task's final value
 * comes with its end. The driver's own accumulator only grows when a task ends. (Training's epoch progress and
 * {@code score}'s progress follow their counts this way.)
 *
 * <p>{@link #total()} never exceeds what the tasks have really counted (a heartbeat is older than the task's
 * count, a failed task's count is dropped as Spark drops it), so it is a lower bound that only grows.
 */
public final class RunningTaskCounts extends SparkListener {
    private final long accumulatorId;
    private final Set<Integer> stages = new HashSet<>();
    private final Map<Long, Long> running = new HashMap<>();
    private long finished;

    public RunningTaskCounts(long accumulatorId) {
        this.accumulatorId = accumulatorId;
    }

    /** The count of the tasks of the jobs started since this listener was added: finished ones plus running ones. */
    public synchronized long total() {
        long total = finished;
        for (long count : running.values()) {
            total += count;
        }
        return total;
    }

    @Override
    public synchronized void onJobStart(SparkListenerJobStart jobStart) {
        for (Object stage : JavaConverters.seqAsJavaList(jobStart.stageIds())) {
            stages.add((Integer) stage);
        }
    }

    @Override
    public synchronized void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (Tuple4<Object, Object, Object, Seq<AccumulableInfo>> task
                : JavaConverters.seqAsJavaList(update.accumUpdates())) {
            Long count = countIn(task._4());
            if (count != null && stages.contains((Integer) task._2())) {
                running.merge((Long) task._1(), count, Math::max);
            }
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        Long seen = running.remove(end.taskInfo().taskId());
        if (!stages.contains(end.stageId()) || end.reason() != Success$.MODULE$) {
            return; // a failed task's count is not kept (the accumulator does not count failed values either)
        }
        Long last = countIn(end.taskInfo().accumulables());
        finished += Math.max(seen == null ? 0 : seen, last == null ? 0 : last);
    }

    private Long countIn(Seq<AccumulableInfo> accumulables) {
        for (AccumulableInfo info : JavaConverters.seqAsJavaList(accumulables)) {
            if (info.id() == accumulatorId && info.update().isDefined() && info.update().get() instanceof Long count) {
                return count;
            }
        }
        return null;
    }
}
