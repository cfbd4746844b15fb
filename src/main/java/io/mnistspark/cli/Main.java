package io.mnistspark.cli;

import io.mnistspark.RunFailedException;
import io.mnistspark.UserException;
import org.apache.spark.SparkUserAppException;
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

    public static void main(String[] args) throws SparkUserAppException {
        io.mnistspark.model.NativeBuild.select(); // first: the ND4J build this CPU runs (see NativeBuild)
        PrintWriter err = new PrintWriter(System.err, true);
        Interruption.install(err);
        int code = run(new PrintWriter(System.out, true), err, args);
        if (inYarnApplicationMaster()) {
            // YARN cluster mode: Spark's ApplicationMaster reports the application's status when main returns (or
            // throws, with the exit code); a System.exit would make it fail the attempt and YARN run it again.
            if (code != OK) {
                throw new SparkUserAppException(code);
            }
            return;
        }
        System.exit(code);
    }

    /** Whether this driver runs inside Spark's YARN ApplicationMaster (deploy mode cluster), which sets these. */
    static boolean inYarnApplicationMaster() {
        return System.getProperty("spark.yarn.app.id") != null
                && "cluster".equals(System.getProperty("spark.submit.deployMode"));
    }

    /** Runs the command line and returns its exit code (never exits the JVM). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) ->
                report(exception, verbose, commandLine.getOut(), commandLine.getErr()));
        int code;
        try {
            code = cli.execute(args);
        } catch (Throwable failure) { // Errors (a full disk's FSError, OutOfMemoryError) pass picocli's handler
            code = report(failure, verbose, out, err);
        }
        out.flush();
        err.flush();
        return code;
    }

    /** One line on {@code err} for a failed command, and its exit code. */
    static int report(Throwable exception, boolean verbose, PrintWriter out, PrintWriter err) {
        out.flush();
        if (Interruption.stopping()) {
            return Interruption.SIGTERM_EXIT; // the interrupt has said what happened; the JVM is exiting
        }
        if (verbose) {
            exception.printStackTrace(err);
        }
        Throwable user = find(exception, UserException.class);
        if (user != null) {
            err.println("error: " + oneLine(user.getMessage()));
            err.flush();
            return BAD_INPUT;
        }
        Throwable root = rootCause(exception);
        Throwable memory = find(exception, OutOfMemoryError.class);
        String line;
        boolean explained;
        if (memory != null || mentionsOutOfMemory(exception)) {
            line = MemoryAdvice.describe(memory != null ? memory : root);
            explained = true;
        } else if (root instanceof RunFailedException) {
            line = root.getMessage();
            explained = true;
        } else if (io.mnistspark.store.StorageProblem.isStorage(exception)) {
            line = describe(root) + " (" + io.mnistspark.store.StorageProblem.cause(exception) + "; "
                    + io.mnistspark.store.StorageProblem.advice(exception) + ")";
            explained = true;
        } else {
            line = describe(root);
            explained = false;
        }
        err.println("error: " + oneLine(line) + (verbose || explained ? "" : " (run with --verbose for the stack trace)"));
        err.flush();
        return FAILED;
    }

    /** The first throwable of type {@code type} in the chain of causes, or null. */
    private static Throwable find(Throwable exception, Class<? extends Throwable> type) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    /** A failure on an executor arrives as a message: "... java.lang.OutOfMemoryError: Java heap space ...". */
    private static boolean mentionsOutOfMemory(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("OutOfMemoryError")) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The exception that says what went wrong: past wrappers without a message of their own. */
    private static Throwable rootCause(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root && (root.getMessage() == null
                || root instanceof java.lang.reflect.UndeclaredThrowableException
                || root instanceof org.apache.hadoop.fs.FSError
                || root instanceof picocli.CommandLine.ExecutionException)) {
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
