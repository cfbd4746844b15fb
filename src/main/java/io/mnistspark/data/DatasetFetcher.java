package io.mnistspark.data;

import io.mnistspark.RunFailedException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Downloads data files from a list of mirrors, trying each in turn, and keeps a file only when its MD5 and
 * SHA-256 both match: the download goes to a temporary name and is renamed into place after the check.
 * A file already present with the right checksums is not downloaded again.
 */
public final class DatasetFetcher {
    private final List<URI> mirrors;
    private final Consumer<String> log;
    private final Timeouts timeouts;

    /** A file to fetch, its size in bytes and the checksums it must have. */
    public record ExpectedFile(String name, long bytes, String md5, String sha256) {
    }

    /**
     * How long a mirror may take: to connect, between two bytes of the body ({@code idle}), and for a whole
     * file ({@code perFile}); past any of them the partial file is removed and the next mirror tried.
     */
    public record Timeouts(Duration connect, Duration idle, Duration perFile) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(20), Duration.ofSeconds(30),
                Duration.ofMinutes(10));
    }

    /** The mirror failed in a way this message explains (too long, too slow, an HTTP status). */
    private static final class MirrorFailure extends IOException {
        MirrorFailure(String message) {
            super(message);
        }
    }

    /** No mirror delivered a file with the right checksums; the message lists what each mirror did. */
    public static final class FetchFailedException extends RunFailedException {
        public FetchFailedException(String message) {
            super(message);
        }
    }

    public DatasetFetcher(List<URI> mirrors, Consumer<String> log) {
        this(mirrors, log, Timeouts.DEFAULT);
    }

    public DatasetFetcher(List<URI> mirrors, Consumer<String> log, Timeouts timeouts) {
        this.mirrors = List.copyOf(mirrors);
        this.log = log;
        this.timeouts = timeouts;
    }

    /** Fetches every file into {@code destination} (any Hadoop URI) and returns their paths. */
    public List<Path> fetch(Path destination, List<ExpectedFile> files, Configuration hadoop) throws IOException {
        FileSystem fs = destination.getFileSystem(hadoop);
        fs.setWriteChecksum(false);
        boolean created = !fs.exists(destination);
        fs.mkdirs(destination);
        List<Path> result = new ArrayList<>();
        try {
            for (ExpectedFile file : files) {
                Path target = new Path(destination, file.name());
                if (fs.exists(target) && matches(fs, target, file)) {
                    log.accept(file.name() + ": already present, checksums verified");
                } else {
                    download(fs, target, file);
                }
                result.add(target);
            }
        } catch (RuntimeException | IOException e) {
            if (created && fs.listStatus(destination).length == 0) {
                fs.delete(destination, false);
            }
            throw e;
        }
        return result;
    }

    private void download(FileSystem fs, Path target, ExpectedFile file) throws IOException {
        Path partial = new Path(target.getParent(), "." + file.name() + ".part");
        List<String> failures = new ArrayList<>();
        for (URI mirror : mirrors) {
            URI uri = mirror.resolve(file.name());
            try {
                Digests digests = copy(uri, fs, partial, file.bytes());
                if (!digests.md5.equalsIgnoreCase(file.md5()) || !digests.sha256.equalsIgnoreCase(file.sha256())) {
                    failures.add(uri + ": checksum mismatch (md5 " + digests.md5 + ", expected " + file.md5() + ")");
                    log.accept(file.name() + ": rejected from " + uri + ": checksum mismatch");
                    fs.delete(partial, false);
                    continue;
                }
                if (fs.exists(target)) {
                    fs.delete(target, false);
                }
                if (!fs.rename(partial, target)) {
                    throw new IOException("cannot rename " + partial + " to " + target);
                }
                log.accept(file.name() + ": downloaded from " + uri + " (" + digests.bytes + " bytes, md5 " + digests.md5 + ")");
                return;
            } catch (IOException e) {
                String reason = e instanceof MirrorFailure || e.getMessage() == null
                        ? (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        : e.getClass().getSimpleName() + ": " + e.getMessage();
                failures.add(uri + ": " + reason);
                log.accept(file.name() + ": failed from " + uri + ": " + reason);
                fs.delete(partial, false);
            }
        }
        throw new FetchFailedException("no mirror delivered " + file.name() + " with the expected checksums: "
                + String.join("; ", failures));
    }

    private record Digests(String md5, String sha256, long bytes) {
    }

    private Digests copy(URI uri, FileSystem fs, Path partial, long expectedBytes) throws IOException {
        HttpURLConnection connection = open(uri);
        try {
            long announced = connection.getContentLengthLong();
            if (expectedBytes > 0 && announced > expectedBytes) {
                throw new MirrorFailure("announces " + announced + " bytes, but the file has " + expectedBytes);
            }
            long deadline = System.nanoTime() + timeouts.perFile().toNanos();
            try (InputStream body = connection.getInputStream(); OutputStream out = fs.create(partial, true)) {
                return digest(new GuardedBody(body, uri, expectedBytes, deadline), out);
            }
        } catch (SocketTimeoutException e) {
            throw new MirrorFailure("no byte for " + seconds(timeouts.idle()) + " (idle-read timeout)");
        } finally {
            connection.disconnect();
        }
    }

    /** A GET of {@code uri}, following up to five redirects (never from https to http). */
    private HttpURLConnection open(URI uri) throws IOException {
        URI current = uri;
        for (int hop = 0; hop <= 5; hop++) {
            HttpURLConnection connection = (HttpURLConnection) current.toURL().openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout((int) Math.max(1, timeouts.connect().toMillis()));
            connection.setReadTimeout((int) Math.max(1, timeouts.idle().toMillis()));
            int status;
            try {
                status = connection.getResponseCode();
            } catch (SocketTimeoutException e) {
                connection.disconnect();
                throw new MirrorFailure("no response within " + seconds(timeouts.idle()) + " (idle-read timeout)");
            }
            if (status == HttpURLConnection.HTTP_OK) {
                return connection;
            }
            String location = connection.getHeaderField("Location");
            connection.disconnect();
            if (status / 100 != 3 || location == null) {
                throw new MirrorFailure("HTTP " + status);
            }
            URI next = current.resolve(location);
            if ("https".equals(current.getScheme()) && !"https".equals(next.getScheme())) {
                throw new MirrorFailure("redirected from https to " + next + ", not followed");
            }
            current = next;
        }
        throw new MirrorFailure("more than 5 redirects");
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }

    /** The response body, cut off past the expected size or the deadline for the file. */
    private final class GuardedBody extends java.io.FilterInputStream {
        private final URI uri;
        private final long limit;
        private final long deadline;
        private long read;

        GuardedBody(InputStream in, URI uri, long limit, long deadline) {
            super(in);
            this.uri = uri;
            this.limit = limit;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (System.nanoTime() > deadline) {
                throw new MirrorFailure("not complete within " + seconds(timeouts.perFile()) + " (the deadline for a "
                        + "file; " + read + " bytes received)");
            }
            int n = super.read(buffer, offset, limit > 0 ? (int) Math.min(length, limit + 1 - read) : length);
            if (n > 0) {
                read += n;
                if (limit > 0 && read > limit) {
                    throw new MirrorFailure("sent more than the " + limit + " bytes the file has; stopped reading");
                }
            }
            return n;
        }
    }

    private static boolean matches(FileSystem fs, Path path, ExpectedFile file) throws IOException {
        try (InputStream in = fs.open(path)) {
            Digests digests = digest(in, OutputStream.nullOutputStream());
            return digests.md5.equalsIgnoreCase(file.md5()) && digests.sha256.equalsIgnoreCase(file.sha256());
        }
    }

    private static Digests digest(InputStream in, OutputStream copy) throws IOException {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            long bytes = 0;
            try (DigestInputStream a = new DigestInputStream(in, md5); DigestInputStream b = new DigestInputStream(a, sha256)) {
                int n;
                while ((n = b.read(buffer)) > 0) {
                    copy.write(buffer, 0, n);
                    bytes += n;
                }
            }
            return new Digests(HexFormat.of().formatHex(md5.digest()), HexFormat.of().formatHex(sha256.digest()), bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
