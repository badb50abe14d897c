package dev.specnorm.cpu;

import dev.specnorm.api.spi.Availability;
import dev.specnorm.api.spi.BackendEngine;
import dev.specnorm.api.spi.BackendProvider;

/**
 * The provider of the CPU backend {@code cpu} ({@link CpuEngine}: Java kernels, OpenBLAS when its probe succeeds): always available, priority 100,
 * so {@code auto} takes it when no GPU backend can run. Registered in
 * {@code META-INF/services/dev.specnorm.api.spi.BackendProvider}.
 */
public final class CpuBackendProvider implements BackendProvider {

    /** For {@link java.util.ServiceLoader}. */
    public CpuBackendProvider() {
    }

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
        return Availability.available(CpuEngine.describe(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public BackendEngine start() {
        return new CpuEngine();
    }
}
