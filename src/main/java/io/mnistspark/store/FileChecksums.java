package io.mnistspark.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
