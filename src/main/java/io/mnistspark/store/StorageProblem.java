package io.mnistspark.store;

import java.util.Locale;

/**
 * What a failed write says in plain words: Hadoop's local file system reports a full disk as an
 * {@code FSError} (a Java Error) wrapping {@code IOException: No space left on device}, and a read-only disk as
 * a bare {@code mkdirs} failure or an {@code IOException: Read-only file system}.
 */
public final class StorageProblem {
    private StorageProblem() {
    }

    /** "no space left on device", "read-only file system", "permission denied", or the innermost message. */
    public static String cause(Throwable failure) {
        String innermost = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) {
                return "no space left on device";
            }
            if (lower.contains("read-only file system")) {
                return "read-only file system";
            }
            if (lower.contains("permission denied") || lower.contains("access denied")) {
                return "permission denied";
            }
            innermost = message;
        }
        return innermost == null ? failure.getClass().getSimpleName() : innermost.replaceAll("\\s*\\R\\s*", " ");
    }

    /** A write failure as a full disk or a read-only one (as opposed to a bug). */
    public static boolean isStorage(Throwable failure) {
        String cause = cause(failure);
        return cause.equals("no space left on device") || cause.equals("read-only file system")
                || cause.equals("permission denied");
    }

    /** What to do about {@link #cause}: free space, or write elsewhere. */
    public static String advice(Throwable failure) {
        return switch (cause(failure)) {
            case "no space left on device" -> "free space there or choose another --out";
            case "read-only file system", "permission denied" -> "choose a writable --out";
            default -> "check the disk and try again";
        };
    }

    /**
     * Why a directory cannot be created on the local file system (Hadoop's {@code mkdirs} only returns false):
     * the nearest existing parent that is read-only or not writable, or null when the cause is unknown.
     */
    public static String whyNoLocalDirectory(java.nio.file.Path directory) {
        java.nio.file.Path parent = directory.toAbsolutePath();
        while (parent != null && !java.nio.file.Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null) {
            return null;
        }
        try {
            if (java.nio.file.Files.getFileStore(parent).isReadOnly()) {
                return "read-only file system";
            }
        } catch (java.io.IOException e) {
            return null;
        }
        if (!java.nio.file.Files.isDirectory(parent)) {
            return parent + " is not a directory";
        }
        if (!java.nio.file.Files.isWritable(parent)) {
            return "permission denied";
        }
        return null;
    }
}
