package io.mnistspark.cli;

import io.mnistspark.RunFailedException;
import io.mnistspark.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * {@code mnist-spark train|evaluate|score|fetch|report}. Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad
 * input (with a one-line message naming the file or key; the stack trace only with {@code --verbose}).
 */
@Command(name = "mnist-spark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Trains dense neural networks on MNIST-format data with Spark (DL4J parameter averaging).",
        subcommands = {TrainCommand.class, EvaluateCommand.class, ScoreCommand.class, ConvertCommand.class, FetchCommand.class, ReportCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors and Spark/DL4J INFO logging.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: train, evaluate, score, convert, fetch or report");
    }

    public static void main(String[] args) {
        int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /** Runs the command line and returns its exit code (never exits the JVM). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            commandLine.getOut().flush();
            PrintWriter e = commandLine.getErr();
            if (verbose) {
                exception.printStackTrace(e);
            }
            UserException user = userCause(exception);
            if (user != null) {
                e.println("error: " + user.getMessage());
                e.flush();
                return BAD_INPUT;
            }
            Throwable root = rootCause(exception);
            boolean explained = root instanceof RunFailedException;
            e.println("error: " + describe(root) + (verbose || explained ? "" : " (run with --verbose for the stack trace)"));
            e.flush();
            return FAILED;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The user's mistake behind {@code exception}: itself, or the cause a Spark job failure carries when a task
     * found it (a bad label deep inside a file read by an executor); null when there is none.
     */
    static UserException userCause(Throwable exception) {
        int depth = 0;
        for (Throwable t = exception; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof UserException user) {
                return user;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** The exception that says what went wrong: past wrappers without a message of their own. */
    private static Throwable rootCause(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root && (root.getMessage() == null
                || root instanceof java.lang.reflect.UndeclaredThrowableException)) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Throwable root) {
        String message = root.getMessage();
        if (root instanceof RunFailedException) {
            return message;
        }
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.replace('\n', ' '));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Package p = Main.class.getPackage();
            String version = p == null || p.getImplementationVersion() == null ? "development build"
                    : p.getImplementationVersion();
            return new String[]{"mnist-spark " + version};
        }
    }
}
