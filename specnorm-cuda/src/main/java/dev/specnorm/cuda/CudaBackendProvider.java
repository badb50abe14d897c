package dev.specnorm.cuda;

import dev.specnorm.api.BackendUnavailableException;
import dev.specnorm.api.spi.Availability;
import dev.specnorm.api.spi.BackendEngine;
import dev.specnorm.api.spi.BackendProvider;
import dev.specnorm.cuda.loading.CudaLoader;
import dev.specnorm.cuda.loading.LoadResult;

/**
 * The CUDA backend's entry in the backend registry. {@link #availability()} loads the JCuda natives once
 * per JVM ({@link CudaLoader}: the CUDA 12 libraries, or CUDA 13's through the bundled compatibility
 * libraries) and reports the device, or the one-line reason the backend cannot run here; {@code auto}
 * then picks the CPU backend. {@link #start()} opens device {@code specnorm.cuda.device} (default 0).
 */
public final class CudaBackendProvider implements BackendProvider {

    /** System property naming the device ordinal to open. */
    public static final String DEVICE_PROPERTY = "specnorm.cuda.device";

    @Override
    public String name() {
        return CudaEngine.NAME;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Availability availability() {
        LoadResult loaded = CudaLoader.load();
        return loaded.available() ? Availability.available(loaded.reason()) : Availability.unavailable(loaded.reason());
    }

    @Override
    public BackendEngine start() {
        LoadResult loaded = CudaLoader.load();
        if (!loaded.available()) {
            throw new BackendUnavailableException("backend cuda is not available: " + loaded.reason());
        }
        int ordinal;
        try {
            ordinal = Integer.parseInt(System.getProperty(DEVICE_PROPERTY, "0").strip());
        } catch (NumberFormatException e) {
            throw new BackendUnavailableException("backend cuda: " + DEVICE_PROPERTY + " = '"
                    + System.getProperty(DEVICE_PROPERTY) + "' is not a device number");
        }
        try {
            return new CudaEngine(ordinal);
        } catch (CudaOperationException e) {
            throw new BackendUnavailableException(
                    "backend cuda could not start on device " + ordinal + ": " + e.getMessage());
        }
    }
}
