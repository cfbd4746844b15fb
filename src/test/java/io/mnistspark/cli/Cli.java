package io.mnistspark.cli;

import io.mnistspark.TestSpark;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process as a user would, capturing exit code, stdout and stderr. */
record Cli(int code, String out, String err) {
    static Cli run(String... args) {
        TestSpark.context();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
