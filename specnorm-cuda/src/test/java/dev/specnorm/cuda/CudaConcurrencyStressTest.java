package dev.specnorm.cuda;

import dev.specnorm.api.Backends;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.ConcurrencyStressContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/**
 * The concurrency stress test ({@link ConcurrencyStressContract}) on the CUDA backend: 8 threads against one
 * engine (whose lock serializes the device work), every result bit-identical to the single-threaded run.
 */
@Tag("gpu")
class CudaConcurrencyStressTest extends ConcurrencyStressContract {

    private static final SpectralBackend CUDA = Backends.open("cuda");

    @AfterAll
    static void close() {
        CUDA.close();
    }

    @Override
    protected SpectralBackend backend() {
        return CUDA;
    }
}
