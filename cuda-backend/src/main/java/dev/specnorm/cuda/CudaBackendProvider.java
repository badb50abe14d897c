package dev.specnorm.cuda;

import dev.specnorm.api.BackendUnavailableException;
import dev.specnorm.api.spi.Availability;
import dev.specnorm.api.spi.BackendEngine;
import dev.specnorm.api.spi.BackendProvider;

/**
 * The CUDA backend's entry in the backend registry. The JCuda engine (cuBLAS batched GEMM, cuSOLVER SVD,
 * NVRTC kernels) is not part of this release yet, so the provider reports itself unavailable and says so;
 * {@code auto} then selects the CPU backend.
 */
public final class CudaBackendProvider implements BackendProvider {

    static final String REASON = "the JCuda engine is not part of this build yet (specnorm issue 3); "
            + "use --backend cpu";

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Availability availability() {
        return Availability.unavailable(REASON);
    }

    @Override
    public BackendEngine start() {
        throw new BackendUnavailableException("backend cuda is not available: " + REASON);
    }
}
