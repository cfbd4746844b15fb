package io.mnistspark.data;

import io.mnistspark.RunFailedException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    private final HttpClient client;

    /** A file to fetch and the checksums it must have. */
    public record ExpectedFile(String name, String md5, String sha256) {
    }

    /** No mirror delivered a file with the right checksums; the message lists what each mirror did. */
    public static final class FetchFailedException extends RunFailedException {
        public FetchFailedException(String message) {
            super(message);
        }
    }

    public DatasetFetcher(List<URI> mirrors, Consumer<String> log) {
        this.mirrors = List.copyOf(mirrors);
        this.log = log;
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
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
                Digests digests = copy(uri, fs, partial);
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
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                failures.add(uri + ": " + reason);
                log.accept(file.name() + ": failed from " + uri + ": " + reason);
                fs.delete(partial, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fs.delete(partial, false);
                throw new IOException("interrupted while downloading " + uri, e);
            }
        }
        throw new FetchFailedException("no mirror delivered " + file.name() + " with the expected checksums: "
                + String.join("; ", failures));
    }

    private record Digests(String md5, String sha256, long bytes) {
    }

    private Digests copy(URI uri, FileSystem fs, Path partial) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            try (OutputStream out = fs.create(partial, true)) {
                return digest(body, out);
            }
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
