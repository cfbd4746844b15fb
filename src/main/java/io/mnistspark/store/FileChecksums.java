package io.mnistspark.store;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SHA-256 of files on any Hadoop file system, as recorded in provenance and checked by {@code report}. */
public final class FileChecksums {
    private FileChecksums() {
    }

    public static String sha256(Path file, Configuration hadoop) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        try (InputStream in = file.getFileSystem(hadoop).open(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Name -> SHA-256 for a map of name -> path, each file hashed by an executor task (a data set's bytes never
     * pass through the driver). Provenance never fails a run: a directory or a file that cannot be read gets no
     * entry.
     */
    public static Map<String, String> sha256OnExecutors(JavaSparkContext sc, Map<String, String> inputs) {
        Map<String, String> files = new LinkedHashMap<>(inputs);
        // a directory gets no entry: no job for it (a path the driver cannot see is left to the executors)
        files.values().removeIf(path -> isDirectory(new Path(path), sc.hadoopConfiguration()));
        if (files.isEmpty()) {
            return new LinkedHashMap<>();
        }
        Broadcast<SerializableConfiguration> hadoop = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        files.forEach((name, path) -> entries.add(new java.util.AbstractMap.SimpleImmutableEntry<>(name, path)));
        try {
            List<String[]> sums = sc.parallelize(entries, entries.size()).map(entry -> {
                Map<String, String> one = sha256(Map.of(entry.getKey(), entry.getValue()), hadoop.value().value());
                String sum = one.get(entry.getKey());
                return new String[]{entry.getKey(), sum};
            }).collect();
            Map<String, String> result = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : entries) {
                for (String[] sum : sums) {
                    if (sum[0].equals(entry.getKey()) && sum[1] != null) {
                        result.put(sum[0], sum[1]);
                    }
                }
            }
            return result;
        } catch (RuntimeException e) {
            return new LinkedHashMap<>();
        } finally {
            hadoop.destroy(false);
        }
    }

    private static boolean isDirectory(Path path, Configuration hadoop) {
        try {
            return path.getFileSystem(hadoop).getFileStatus(path).isDirectory();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Name -> SHA-256 for a map of name -> path (such as {@link Provenance#inputs}). Provenance never fails a
     * run: a directory or a file that cannot be read gets no entry.
     */
    public static Map<String, String> sha256(Map<String, String> files, Configuration hadoop) {
        Map<String, String> sums = new LinkedHashMap<>();
        files.forEach((name, path) -> {
            try {
                Path file = new Path(path);
                if (file.getFileSystem(hadoop).getFileStatus(file).isFile()) {
                    sums.put(name, sha256(file, hadoop));
                }
            } catch (IOException | RuntimeException e) {
                // no checksum for this input
            }
        });
        return sums;
    }
}
