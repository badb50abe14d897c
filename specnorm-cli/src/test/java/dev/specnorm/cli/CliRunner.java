package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs the specnorm command line in this JVM and captures what it printed. */
final class CliRunner {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CliRunner() {}

    /**
     * What a run printed and returned.
     *
     * @param exitCode the exit code
     * @param out      standard output
     * @param err      standard error
     */
    record Result(int exitCode, String out, String err) {

        /** Asserts exit code 0 and an empty stderr, and returns this. */
        Result succeeded() {
            assertEquals("", err, "stderr of a successful run");
            assertEquals(ExitCodes.OK, exitCode, "exit code; stdout: " + out);
            return this;
        }

        /** Stdout parsed as exactly one JSON object. */
        JsonNode json() {
            try {
                JsonNode node = JSON.readTree(out);
                assertTrue(node != null && node.isObject(), "stdout is one JSON object: " + out);
                assertEquals(1, out.strip().lines().count(), "one line of JSON");
                return node;
            } catch (IOException e) {
                throw new UncheckedIOException("stdout is not JSON: " + out, e);
            }
        }

        /**
         * Asserts that the run failed with {@code expectedExit}, printed nothing on stdout and exactly one
         * line on stderr, {@code specnorm: error: ...}, and returns that line.
         */
        String failedWith(int expectedExit) {
            assertEquals(expectedExit, exitCode, "exit code; stderr: " + err);
            assertEquals("", out, "stdout of a failed run");
            List<String> lines = err.lines().toList();
            assertEquals(1, lines.size(), "exactly one line on stderr: " + err);
            assertTrue(lines.get(0).startsWith("specnorm: error: "), lines.get(0));
            assertTrue(
                    !lines.get(0).contains("Exception") || lines.get(0).contains("unexpected"),
                    "no exception class names in an expected error: " + lines.get(0));
            return lines.get(0);
        }
    }

    /** Runs {@code specnorm args...}; arguments are converted with {@link String#valueOf}. */
    static Result run(Object... args) {
        String[] strings = Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SpecnormCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(strings);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Runs {@code specnorm args... --json}, asserts success, and returns the JSON object. */
    static JsonNode json(Object... args) {
        Object[] withJson = Arrays.copyOf(args, args.length + 1);
        withJson[args.length] = "--json";
        return run(withJson).succeeded().json();
    }
}
