package dev.specnorm.cli.checkpoint;

import dev.specnorm.cli.io.NpyFormatException;

/**
 * A checkpoint file that is malformed, hostile or of a kind specnorm does not read; the message names the
 * file and the problem on one line. It is an {@link NpyFormatException}, so the CLI maps it to exit code 3
 * as it does every malformed input.
 */
public final class CheckpointFormatException extends NpyFormatException {

    private static final long serialVersionUID = 1L;

    /**
     * @param source  the file (or archive entry) as the user named it
     * @param problem what is wrong with it
     */
    public CheckpointFormatException(String source, String problem) {
        super(source, problem);
    }
}
