package io.mnistspark.cli;

import io.mnistspark.UserException;
import io.mnistspark.data.DatasetFetcher;
import io.mnistspark.data.MnistDownload;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code fetch}: downloads the four MNIST files and verifies their checksums. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Download the four MNIST files into --dest, trying each mirror in turn; a file is kept only "
                + "when its MD5 and SHA-256 match the official ones.")
final class FetchCommand implements Callable<Integer> {
    @Option(names = "--dest", required = true, paramLabel = "DIR", description = "Directory to download into (any Hadoop URI).")
    String dest;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "Base URL to try, in order (repeatable); replaces the default list of mirrors.")
    List<String> mirrors = new ArrayList<>();

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Give up on a mirror that sends no byte for this long (default 30), and try the next.")
    double idleTimeout;

    @Option(names = "--file-deadline", paramLabel = "SECONDS", defaultValue = "600",
            description = "Give up on a mirror that has not delivered a whole file in this time (default 600).")
    double fileDeadline;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<URI> bases = mirrors.isEmpty() ? MnistDownload.DEFAULT_MIRRORS : parse(mirrors);
        DatasetFetcher fetcher = new DatasetFetcher(bases, line -> {
            out.println(line);
            out.flush();
        }, new DatasetFetcher.Timeouts(DatasetFetcher.Timeouts.DEFAULT.connect(),
                positiveDuration("--idle-timeout", idleTimeout), positiveDuration("--file-deadline", fileDeadline)));
        List<Path> files = fetcher.fetch(new Path(dest), MnistDownload.FILES, new Configuration());
        out.println("MNIST is in " + files.get(0).getParent() + " (" + files.size() + " files verified)");
        return Main.OK;
    }

    private static java.time.Duration positiveDuration(String option, double seconds) {
        if (!(seconds > 0) || seconds > 86_400 * 7) {
            throw new UserException(option + " " + seconds + ": must be a number of seconds > 0 (and at most a week)");
        }
        return java.time.Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }

    private static List<URI> parse(List<String> urls) {
        List<URI> result = new ArrayList<>();
        for (String url : urls) {
            try {
                URI uri = new URI(url.endsWith("/") ? url : url + "/");
                if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    throw new UserException("--mirror " + url + ": expected an http:// or https:// URL");
                }
                result.add(uri);
            } catch (URISyntaxException e) {
                throw new UserException("--mirror " + url + ": not a URL (" + e.getMessage() + ")");
            }
        }
        return result;
    }
}
