package dev.specnorm.cuda;

import dev.specnorm.api.Backends;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.BackendContractTest;
import org.junit.jupiter.api.Tag;

/**
 * The backend contract suite on the CUDA backend, opened by name as users open it. Needs an NVIDIA GPU
 * ({@code mvn -Pgpu test}); on a machine where the backend is unavailable every test fails with the
 * backend's reason, since a GPU run that silently skipped would prove nothing.
 */
@Tag("gpu")
class CudaBackendContractTest extends BackendContractTest {

    private static final SpectralBackend CUDA = Backends.open("cuda");

    @Override
    protected SpectralBackend backend() {
        return CUDA;
    }
}
