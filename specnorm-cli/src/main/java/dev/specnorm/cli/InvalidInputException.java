package dev.specnorm.cli;

import dev.specnorm.cli.io.NpyFormatException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * An input file cannot be used: missing, unreadable, malformed, of an unsupported dtype or rank, holding
 * NaN or infinite entries, or a state file that does not fit the weights. Exit code 3. The message names
 * the file.
 */
public final class InvalidInputException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message the file and what is wrong with it */
    public InvalidInputException(String message) {
        super(message);
    }

    /**
     * @param message the file and what is wrong with it
     * @param cause   the underlying failure
     */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The failure to read input file {@code file}, with a message that names it and says why. */
    public static InvalidInputException reading(Path file, IOException e) {
        if (e instanceof NpyFormatException) {
            return new InvalidInputException(e.getMessage(), e);
        }
        if (e instanceof NoSuchFileException) {
            return new InvalidInputException(file + ": no such file", e);
        }
        if (e instanceof AccessDeniedException) {
            return new InvalidInputException(file + ": permission denied", e);
        }
        return new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
    }
}
