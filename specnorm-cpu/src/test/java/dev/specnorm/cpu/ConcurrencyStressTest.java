package dev.specnorm.cpu;

import dev.specnorm.api.Backends;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.ConcurrencyStressContract;
import org.junit.jupiter.api.AfterAll;

/** The concurrency stress test ({@link ConcurrencyStressContract}) on the CPU backend. */
class ConcurrencyStressTest extends ConcurrencyStressContract {

    private static final SpectralBackend CPU = Backends.open("cpu");

    @AfterAll
    static void close() {
        CPU.close();
    }

    @Override
    protected SpectralBackend backend() {
        return CPU;
    }
}
