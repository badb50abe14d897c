package dev.specnorm.api;

/** The backend asked for cannot run here; the message says why (missing driver, library or device). */
public class BackendUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message the backend's name and the reason it is unavailable */
    public BackendUnavailableException(String message) {
        super(message);
    }

    /**
     * @param message the backend's name and the reason it is unavailable
     * @param cause   the failure that made it unavailable
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
