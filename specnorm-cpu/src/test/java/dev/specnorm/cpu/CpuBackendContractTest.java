package dev.specnorm.cpu;

import dev.specnorm.api.Backends;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.BackendContractTest;

/** The backend contract suite on the CPU backend, opened by name as users open it. */
class CpuBackendContractTest extends BackendContractTest {

    private static final SpectralBackend CPU = Backends.open("cpu");

    @Override
    protected SpectralBackend backend() {
        return CPU;
    }
}
