package dev.specnorm.examples;

import dev.specnorm.api.BackendUnavailableException;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.StaleStateException;
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
        report(command.getErr(), describe(failure), failure,
                isVerbose(parseResult.originalArgs().toArray(new String[0])));
        return ExitCodes.of(failure);
    }

    /** Picocli's message, except that a word where a command belongs is called an unknown command. */
    private static String usageMessage(CommandLine.ParameterException ex) {
        CommandLine command = ex.getCommandLine();
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && command.getParent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().get(0) + "'; commands: "
                    + String.join(", ", command.getSubcommands().keySet());
        }
        return ex.getMessage();
    }

    /** The one-line message for {@code failure}. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        boolean expected = failure instanceof InvalidInputException || failure instanceof BackendUnavailableException
                || failure instanceof NonFiniteValueException || failure instanceof StaleStateException
                || failure instanceof java.io.IOException || failure instanceof IllegalArgumentException;
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

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static boolean isVerbose(String[] args) {
        return Arrays.asList(args).contains(VERBOSE);
    }
}
