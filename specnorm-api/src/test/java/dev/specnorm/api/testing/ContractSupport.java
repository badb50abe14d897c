package dev.specnorm.api.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.StateLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.TestInstance;

/**
 * The base of every part of the backend contract suite: the backend under test and the shared plumbing
 * (operands in a storage, state snapshots, float64 views of results). A backend runs the suite through
 * {@link BackendContractTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContractSupport {

    /** The backend under test; the suite never closes it. */
    protected abstract SpectralBackend backend();

    /** Operands in {@code storage} of the backend under test. */
    protected Operands operands(Storage storage) {
        return new Operands(backend(), storage);
    }

    /** The exported vectors of a state, exact copies. */
    @SuppressWarnings("ArrayRecordComponent") // a test carrier of exported vectors, never compared or hashed
    public record Snapshot(float[] u, float[] v) {
        /** Exports {@code state}. */
        public static Snapshot of(PowerState state) {
            return new Snapshot(state.exportU(), state.exportV());
        }

        /** Asserts that {@code state} still holds exactly these vectors. */
        public void assertSame(PowerState state, String when) {
            assertArrayEquals(u, state.exportU(), when + ": u changed");
            assertArrayEquals(v, state.exportV(), when + ": v changed");
        }

        /** The vectors per matrix in float64. */
        public List<Float64Reference.Vectors> vectors(StateLayout layout) {
            return Float64Reference.unpack(layout, u, v);
        }
    }

    /** The per-matrix float64 vectors of a state. */
    protected static List<Float64Reference.Vectors> vectors(PowerState state) {
        return Snapshot.of(state).vectors(state.layout());
    }

    /** Matrix {@code k} of a host batch list's flattened matrices as float64, for references. */
    protected static Dense matrix(List<MatrixBatch> host, int k) {
        return TestMatrices.flatten(host).get(k);
    }

    /** The float64 matrices of an output list read back from any storage. */
    protected static List<Dense> readMatrices(List<Matrices> out) {
        return TestMatrices.flatten(Operands.read(out));
    }

    /** The shapes of a list of host batches. */
    protected static List<BatchShape> shapes(List<MatrixBatch> host) {
        return TestMatrices.shapes(host);
    }

    /** The exact float64 singular values of each matrix of the list (reference SVD). */
    protected static List<double[]> exactValues(List<MatrixBatch> host) {
        return TestMatrices.flatten(host).stream().map(JacobiSvd::values).toList();
    }

    /** A random gradient with the shapes of {@code host}. */
    protected static List<MatrixBatch> randomLike(List<MatrixBatch> host, long seed) {
        List<MatrixBatch> out = new ArrayList<>();
        for (int l = 0; l < host.size(); l++) {
            BatchShape s = host.get(l).shape();
            out.add(TestMatrices.gaussian(seed + 17L * l, s.batch(), s.rows(), s.cols(), 1));
        }
        return out;
    }
}
