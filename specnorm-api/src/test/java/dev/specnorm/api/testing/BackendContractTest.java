package dev.specnorm.api.testing;

import dev.specnorm.api.SpectralBackend;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/**
 * The backend contract suite (EJML's shared SVD checks are the model): every backend runs all of it by
 * one subclass that implements {@link #backend()}. The parts live in their own classes, grouped by
 * capability; each is run here as a nested class on the subclass's backend:
 * {@link ExactContract}, {@link LanczosContract}, {@link PowerIterationContract}, {@link TopKContract},
 * {@link NormalizationContract}, {@link PenaltyContract}, {@link NonFiniteContract},
 * {@link ConsistencyContract}, {@link ArgumentContract}. References are computed independently of any backend
 * ({@link Float64Reference}, {@link JacobiSvd}, {@link FiniteDifferences}, {@link KnownSpectrum}); the
 * tolerances are SPEC.md's ({@link Tolerances}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {

    /** The backend under test (the suite calls this often: return one shared instance; it is not closed). */
    protected abstract SpectralBackend backend();

    @Nested
    class Exact extends ExactContract {
        @Override
        protected SpectralBackend backend() {
            return BackendContractTest.this.backend();
        }
    }

    @Nested
    class Lanczos extends LanczosContract {
        @Override
        protected SpectralBackend backend() {
            return BackendContractTest.this.backend();
        }
    }

    @Nested
    class PowerIteration extends PowerIterationContract {
        @Override
        protected SpectralBackend backend() {
            return BackendContractTest.this.backend();
        }
    }

    @Nested
    class TopK extends TopKContract {
        @Override
        protected SpectralBackend backend() {
            return BackendContractTest.this.backend();
        }
    }

    @Nested
    class Normalization extends NormalizationContract {
        @Override
        protected SpectralBackend backend() {
            return BackendContractTest.this.backend();
        }
    }

    @Nested
    class Penalties extends PenaltyContract {
        @Override
        protected SpectralBackend backend() {
            return BackendContractTest.this.backend();
        }
    }

    @Nested
    class NonFinite extends NonFiniteContract {
        @Override
        protected SpectralBackend backend() {
            return BackendContractTest.this.backend();
        }
    }

    @Nested
    class Consistency extends ConsistencyContract {
        @Override
        protected SpectralBackend backend() {
            return BackendContractTest.this.backend();
        }
    }

    @Nested
    class EdgeCases extends EdgeCaseContract {
        @Override
        protected SpectralBackend backend() {
            return BackendContractTest.this.backend();
        }
    }

    @Nested
    class Arguments extends ArgumentContract {
        @Override
        protected SpectralBackend backend() {
            return BackendContractTest.this.backend();
        }
    }
}
