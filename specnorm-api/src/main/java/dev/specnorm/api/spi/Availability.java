package dev.specnorm.api.spi;

import java.util.Objects;

/**
 * Whether a backend can run on this machine, and why not.
 *
 * @param available whether the backend can be started
 * @param reason    a one-line explanation: what was found (device, library versions) or what is missing
 */
public record Availability(boolean available, String reason) {

    /** @throws NullPointerException if reason is null */
    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    /** Available, with a description of what was found. */
    public static Availability available(String description) {
        return new Availability(true, description);
    }

    /** Unavailable, with the reason. */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
