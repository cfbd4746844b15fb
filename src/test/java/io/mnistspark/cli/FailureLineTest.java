package io.mnistspark.cli;

import org.apache.hadoop.fs.FSError;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Java Errors and storage failures that reach Main: exit 1 and one line naming the cause and the setting. */
class FailureLineTest {
    private static String[] report(Throwable failure, boolean verbose) {
        StringWriter err = new StringWriter();
        int code = Main.report(failure, verbose, new PrintWriter(new StringWriter()), new PrintWriter(err));
        return new String[]{Integer.toString(code), err.toString().strip()};
    }

    @Test
    void heapExhaustionNamesDriverMemory() {
        String[] r = report(new picocli.CommandLine.ExecutionException(new picocli.CommandLine(new Main()), "x",
                new OutOfMemoryError("Java heap space")), false);
        assertEquals("1", r[0]);
        assertEquals(1, r[1].lines().count(), r[1]);
        assertTrue(r[1].matches("error: out of memory in the driver \\(Java heap space, heap limit [0-9.]+ GB\\); raise "
                + "DRIVER_MEMORY \\(spark-submit --driver-memory\\), or choose a smaller network or batch"), r[1]);
    }

    @Test
    void offHeapAndExecutorExhaustionNameTheirSettings() {
        String[] offHeap = report(new OutOfMemoryError("Cannot allocate new FloatPointer(100000000): totalBytes = 2G, "
                + "physicalBytes = 3G"), false);
        assertTrue(offHeap[1].startsWith("error: out of memory: ND4J's off-heap memory is exhausted (limit ")
                && offHeap[1].contains("raise OFFHEAP_MAX"), offHeap[1]);
        String[] executor = report(new RuntimeException("Job aborted due to stage failure: Task 0 in stage 1.0 failed "
                + "4 times: java.lang.OutOfMemoryError: Java heap space\n\tat ..."), false);
        assertEquals("1", executor[0]);
        assertTrue(executor[1].matches("error: out of memory on an executor \\(OutOfMemoryError: Java heap space\\); "
                + "raise spark.executor.memory .+"), executor[1]);
    }

    /** What Hadoop's local file system throws for a failed write (its constructor is package-private). */
    static FSError fsError(IOException cause) {
        try {
            var constructor = FSError.class.getDeclaredConstructor(Throwable.class);
            constructor.setAccessible(true);
            return constructor.newInstance(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFullDiskReachingMainIsOneLineWithTheCause() {
        String[] r = report(fsError(new IOException("No space left on device")), false);
        assertEquals("1", r[0]);
        assertEquals("error: IOException: No space left on device (no space left on device; free space there or "
                + "choose another --out)", r[1]);
        String[] verbose = report(fsError(new IOException("No space left on device")), true);
        assertTrue(verbose[1].lines().count() > 1, "the stack trace with --verbose");
    }
}
