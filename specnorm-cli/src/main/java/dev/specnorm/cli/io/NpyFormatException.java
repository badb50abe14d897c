package dev.specnorm.cli.io;

import java.io.IOException;

/**
 * A file is not a valid {@code .npy} (or {@code .npz}) file that specnorm can read: bad magic, a malformed
 * or oversized header, an unsupported dtype or rank, a size that disagrees with the file. The message
 * starts with the file's name and says what is wrong.
 */
public class NpyFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param source  the file (or archive entry) as the user named it
     * @param problem what is wrong with it
     */
    public NpyFormatException(String source, String problem) {
        super(source + ": " + problem);
    }
}
