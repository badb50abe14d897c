package dev.specnorm.cpu;

import dev.specnorm.api.spi.Availability;
import dev.specnorm.api.spi.BackendEngine;
import dev.specnorm.api.spi.BackendProvider;
import java.util.ServiceLoader;

/**
 * The provider of the CPU backend {@code cpu} ({@link CpuEngine}: Java kernels, OpenBLAS when its probe
 * succeeds): priority 100, so {@code auto} takes it when no GPU backend can run; available unless
 * {@value CpuEngine#THREADS_PROPERTY} is set to something other than a positive integer. Its engine has
 * {@link CpuEngine#defaultThreads()} threads. Registered in
 * {@code META-INF/services/dev.specnorm.api.spi.BackendProvider}.
 */
public final class CpuBackendProvider implements BackendProvider {

    /** For {@link ServiceLoader}. */
    public CpuBackendProvider() {}

    @Override
    public String name() {
        return CpuEngine.NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        try {
            return Availability.available(CpuEngine.describe(CpuEngine.defaultThreads()));
        } catch (IllegalArgumentException e) {
            return Availability.unavailable(e.getMessage());
        }
    }

    @Override
    public BackendEngine start() {
        return new CpuEngine();
    }
}
