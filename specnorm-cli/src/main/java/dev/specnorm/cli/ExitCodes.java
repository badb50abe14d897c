package dev.specnorm.cli;

import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.StaleStateException;
import dev.specnorm.cli.io.NpyFormatException;
import picocli.CommandLine;

/** The exit codes of the {@code specnorm} command, and which failure gets which. */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** Anything not covered below, including a backend that cannot run here. */
    public static final int FAILURE = 1;
    /** A usage error: unknown option, bad value, missing argument, options that do not go together. */
    public static final int USAGE = 2;
    /** Invalid input: a missing, unreadable or malformed file, unsupported dtype or rank, NaN or Inf. */
    public static final int INVALID_INPUT = 3;

    /** Help text lines for picocli's {@code exitCodeList}. */
    static final String OK_LINE = "0:success";

    static final String FAILURE_LINE = "1:failure, including a backend that is not available here";
    static final String USAGE_LINE =
            "2:usage error: unknown option, bad value, missing argument, " + "options that do not go together";
    static final String INVALID_INPUT_LINE = "3:invalid input: missing, unreadable or malformed file, "
            + "unsupported dtype or rank, NaN or Inf, state that does not fit";

    private ExitCodes() {}

    /** The exit code for a command that failed with {@code failure}. */
    public static int of(Throwable failure) {
        if (failure instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        if (failure instanceof InvalidInputException
                || failure instanceof NpyFormatException
                || failure instanceof StaleStateException
                || failure instanceof NonFiniteValueException) {
            return INVALID_INPUT;
        }
        return FAILURE;
    }
}
