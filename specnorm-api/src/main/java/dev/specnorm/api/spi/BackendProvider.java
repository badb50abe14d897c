package dev.specnorm.api.spi;

import dev.specnorm.api.BackendUnavailableException;
import java.util.ServiceLoader;

/**
 * The service interface a backend module registers in
 * {@code META-INF/services/dev.specnorm.api.spi.BackendProvider}; found with {@link ServiceLoader}.
 *
 * <p>A provider must be cheap to construct: {@link #availability()} probes the machine (and may load
 * native libraries) only when asked, and {@link #start()} creates the engine only when the backend is
 * used.
 */
public interface BackendProvider {

    /** The backend's name, as {@code --backend} takes it: {@code cpu}, {@code cuda}. */
    String name();

    /** Rank for {@code auto}: the available provider with the lowest value wins (cuda 10, cpu 100). */
    int priority();

    /** Whether the backend can run here and, if not, why. Never throws; may cache its answer. */
    Availability availability();

    /**
     * Starts the backend.
     *
     * @throws BackendUnavailableException if it cannot run here
     */
    BackendEngine start();
}
