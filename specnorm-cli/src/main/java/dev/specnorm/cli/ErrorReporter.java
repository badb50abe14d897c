package dev.specnorm.cli;

import dev.specnorm.api.BackendUnavailableException;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.StaleStateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Turns a failure into exactly one line on stderr, {@code specnorm: error: ...}, and an exit code
 * ({@link ExitCodes}); the stack trace follows only with {@code --verbose}.
 */
final class ErrorReporter implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

    static final String PREFIX = "specnorm: error: ";
    static final String VERBOSE = "--verbose";

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        String help = command.getCommandSpec().qualifiedName() + " --help";
        report(command.getErr(), usageMessage(ex) + " (see '" + help + "')", ex, isVerbose(args));
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine command, CommandLine.ParseResult parseResult) {
        Throwable failure = ex instanceof CommandLine.ExecutionException && ex.getCause() != null ? ex.getCause() : ex;
        report(
                command.getErr(),
                describe(failure),
                failure,
                isVerbose(parseResult.originalArgs().toArray(new String[0])));
        return ExitCodes.of(failure);
    }

    /** Picocli's message, except that a word where a command belongs is called an unknown command. */
    private static String usageMessage(CommandLine.ParameterException ex) {
        CommandLine command = ex.getCommandLine();
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched
                && command.getParent() == null
                && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().get(0) + "'; commands: "
                    + String.join(", ", command.getSubcommands().keySet());
        }
        return ex.getMessage();
    }

    /** The one-line message for {@code failure}. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        boolean expected = failure instanceof InvalidInputException
                || failure instanceof BackendUnavailableException
                || failure instanceof NonFiniteValueException
                || failure instanceof StaleStateException
                || failure instanceof IOException
                || failure instanceof IllegalArgumentException;
        if (expected && message != null && !message.isBlank()) {
            return message;
        }
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message)
                + " (an unexpected failure; run with --verbose for the stack trace)";
    }

    private static void report(PrintWriter err, String message, Throwable failure, boolean verbose) {
        err.println(PREFIX + oneLine(message));
        if (verbose) {
            failure.printStackTrace(err);
        }
        err.flush();
    }

    /** Longest message printed; the rest of a hostile file's header text is cut. */
    static final int MAX_MESSAGE = 1000;

    /**
     * The message on one line, safe for a terminal: line breaks become "; ", other control characters (an
     * ESC from a hostile file's header, say) become {@code \xNN}, and the text is cut after
     * {@value #MAX_MESSAGE} characters, marked by "...".
     */
    static String oneLine(String message) {
        String joined = message.strip().replaceAll("\\s*\\R\\s*", "; ");
        StringBuilder out = new StringBuilder(Math.min(joined.length(), MAX_MESSAGE) + 8);
        int i = 0;
        for (; i < joined.length() && out.length() < MAX_MESSAGE; i++) {
            char c = joined.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i < joined.length() ? out.append("...").toString() : out.toString();
    }

    private static boolean isVerbose(String[] args) {
        return Arrays.asList(args).contains(VERBOSE);
    }
}
