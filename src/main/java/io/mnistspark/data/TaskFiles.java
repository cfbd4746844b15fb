package io.mnistspark.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The input files a Spark task has open: a task that reads many byte ranges of one file (a worker's share of
 * an epoch) opens it once, and the files are closed when the task ends. Outside a task (tests, the driver)
 * every call opens the file anew and the caller closes it.
 */
final class TaskFiles {
    private static final ThreadLocal<Map<String, FSDataInputStream>> OPEN = new ThreadLocal<>();

    private TaskFiles() {
    }

    /** Reads {@code buffer.length} bytes at {@code position} of {@code path} (a positioned read: no shared offset). */
    static void readFully(String path, long position, byte[] buffer, Configuration hadoop) throws IOException {
        TaskContext task = TaskContext.get();
        if (task == null) {
            try (FSDataInputStream in = open(path, hadoop)) {
                in.readFully(position, buffer);
            }
            return;
        }
        Map<String, FSDataInputStream> open = OPEN.get();
        if (open == null) {
            Map<String, FSDataInputStream> files = new HashMap<>();
            OPEN.set(files);
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> closeAll(files));
            open = files;
        }
        FSDataInputStream in = open.get(path);
        if (in == null) {
            in = open(path, hadoop);
            open.put(path, in);
        }
        in.readFully(position, buffer);
    }

    private static FSDataInputStream open(String path, Configuration hadoop) throws IOException {
        Path p = new Path(path);
        return p.getFileSystem(hadoop).open(p, 1 << 16);
    }

    private static void closeAll(Map<String, FSDataInputStream> files) {
        for (FSDataInputStream in : files.values()) {
            try {
                in.close();
            } catch (IOException ignored) {
                // a read-only stream: nothing is lost
            }
        }
        files.clear();
        OPEN.remove();
    }
}
