package dev.specnorm.cli;

import picocli.CommandLine.Option;

/** {@code --json} and {@code --verbose}, which every command takes. */
public final class OutputOptions {

    @Option(names = "--json", order = 80, description = "Print exactly one JSON object on stdout instead of text.")
    boolean json;

    @Option(
            names = ErrorReporter.VERBOSE,
            order = 81,
            description = "Log which backend was chosen and why, and print the stack trace of an error.")
    boolean verbose;

    /** Whether output is JSON. */
    public boolean json() {
        return json;
    }
}
