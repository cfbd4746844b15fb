package io.mnistspark.cli;

import java.util.Locale;

/**
 * The line for an out-of-memory failure: which memory ran out (the driver's Java heap, ND4J's off-heap memory,
 * an executor's) with the limit in force and the setting that raises it.
 */
final class MemoryAdvice {
    private MemoryAdvice() {
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        boolean onExecutor = !(failure instanceof OutOfMemoryError) && lower.contains("task");
        if (lower.contains("physical") || lower.contains("maxbytes") || lower.contains("cannot allocate")
                || lower.contains("bad_alloc") || lower.contains("direct buffer")) {
            return "out of memory: ND4J's off-heap memory is exhausted (limit " + gib(offHeapLimit())
                    + "); raise OFFHEAP_MAX (-Dorg.bytedeco.javacpp.maxbytes) and PHYSICAL_MAX for the driver, or "
                    + "spark.executor.memoryOverhead for executors, or choose a smaller network or batch";
        }
        if (onExecutor) {
            return "out of memory on an executor (" + firstLine(message) + "); raise spark.executor.memory "
                    + "(spark-submit --executor-memory), or choose a smaller network or batch";
        }
        return "out of memory in the driver (" + (message.isEmpty() ? "Java heap space" : firstLine(message))
                + ", heap limit " + gib(Runtime.getRuntime().maxMemory()) + "); raise DRIVER_MEMORY (spark-submit "
                + "--driver-memory), or choose a smaller network or batch";
    }

    static long offHeapLimit() {
        try {
            return org.bytedeco.javacpp.Pointer.maxBytes();
        } catch (Throwable e) {
            return Runtime.getRuntime().maxMemory();
        }
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    private static String firstLine(String message) {
        String line = message.strip().lines().findFirst().orElse("");
        int oom = line.indexOf("OutOfMemoryError");
        if (oom >= 0) {
            line = line.substring(oom);
        }
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}
