package dev.specnorm.api.testing;

import static dev.specnorm.api.testing.NumericAssertions.assertAtMostSigma1;
import static dev.specnorm.api.testing.NumericAssertions.assertPowerStep;
import static dev.specnorm.api.testing.NumericAssertions.assertRounded;
import static dev.specnorm.api.testing.NumericAssertions.assertSigma;
import static dev.specnorm.api.testing.NumericAssertions.assertValue;
import static dev.specnorm.api.testing.NumericAssertions.assertVector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.StaleStateException;
import dev.specnorm.api.StateLayout;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Power iteration with persistent state (SPEC.md "Power iteration"): the seeded initial state, each step
 * against the float64 formula, evaluation with k = 0, σ̂ ≤ σ₁(1 + 1e-6), convergence at the rate ρ^(4k),
 * export and import, reproducible and independent per-matrix streams, stale-state detection, the zero
 * matrix and entries near 1e18.
 */
public abstract class PowerIterationContract extends ContractSupport {

    static Stream<Arguments> cases() {
        return Cases.withStorages(Cases.general());
    }

    static Stream<Cases.Case> gapped() {
        return Cases.gapped();
    }

    static Stream<Cases.Case> general() {
        return Cases.general();
    }

    /** u from SeededGaussian(seed, k), normalized; v = normalize(Wᵀu), or the stream's fallback if Wᵀu = 0. */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void initialStateFollowsSpec(Cases.Case c, Storage storage) {
        List<MatrixBatch> host = c.copies();
        List<Dense> w = TestMatrices.flatten(host);
        try (Operands ops = operands(storage);
                PowerState state = backend().newPowerState(ops.inputs(host), new PowerOptions(7, 0, 1))) {
            assertEquals(StateLayout.of(shapes(host), StateLayout.Operator.MATRIX, 1), state.layout());
            List<Float64Reference.Vectors> got = vectors(state);
            for (int k = 0; k < w.size(); k++) {
                Float64Reference.Vectors seeded = Float64Reference.seeded(7, k, 1, w.get(k).rows, w.get(k).cols);
                assertRounded(c + ", matrix " + k + ": seeded u", got.get(k).u[0], seeded.u[0]);
                assertPowerStep(
                        c + ", matrix " + k + " at initialization",
                        Float64Reference.matrix(w.get(k)),
                        seeded,
                        got.get(k),
                        true);
            }
            ops.assertInputsUnchanged();
        }
    }

    /** One iteration from a known state: v ← normalize(Wᵀu), then u ← normalize(Wv), σ̂ = uᵀWv. */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void iterationFollowsFormula(Cases.Case c, Storage storage) {
        List<MatrixBatch> host = c.copies();
        List<Dense> w = TestMatrices.flatten(host);
        try (Operands ops = operands(storage)) {
            List<Matrices> in = ops.inputs(host);
            try (PowerState state = backend().newPowerState(in, new PowerOptions(3, 2, 1))) {
                Snapshot before = Snapshot.of(state);
                float[] sigma = backend().powerIteration(in, state, 1);
                assertEquals(w.size(), sigma.length, "one σ̂ per matrix");
                List<Float64Reference.Vectors> b = before.vectors(state.layout());
                List<Float64Reference.Vectors> a = vectors(state);
                for (int k = 0; k < w.size(); k++) {
                    Float64Reference.Operator op = Float64Reference.matrix(w.get(k));
                    String what = c + ", matrix " + k;
                    assertPowerStep(what, op, b.get(k), a.get(k), false);
                    assertValue(
                            what + ": σ̂ = uᵀWv",
                            sigma[k],
                            Float64Reference.sigma(op, a.get(k))[0],
                            Float64Reference.sigmaBound(op, a.get(k))[0]);
                    assertTrue(sigma[k] >= 0, what + ": σ̂ ≥ 0 after an iteration, got " + sigma[k]);
                }
            }
            ops.assertInputsUnchanged();
        }
    }

    /** k = 0 evaluates σ̂ = uᵀWv with the stored vectors and leaves them exactly as they were. */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void evaluationLeavesStateUnchanged(Cases.Case c, Storage storage) {
        List<MatrixBatch> host = c.copies();
        List<Dense> w = TestMatrices.flatten(host);
        try (Operands ops = operands(storage)) {
            List<Matrices> in = ops.inputs(host);
            try (PowerState state = backend().newPowerState(in, new PowerOptions(0, 4, 1))) {
                Snapshot before = Snapshot.of(state);
                float[] sigma = backend().powerIteration(in, state, 0);
                before.assertSame(state, "evaluation with 0 iterations");
                List<Float64Reference.Vectors> v = before.vectors(state.layout());
                for (int k = 0; k < w.size(); k++) {
                    Float64Reference.Operator op = Float64Reference.matrix(w.get(k));
                    assertValue(
                            c + ", matrix " + k + ": σ̂ = uᵀWv",
                            sigma[k],
                            Float64Reference.sigma(op, v.get(k))[0],
                            Float64Reference.sigmaBound(op, v.get(k))[0]);
                }
            }
            ops.assertInputsUnchanged();
        }
    }

    /** Warm-up iterations are the same iterations as later calls run. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("gapped")
    void warmupIsIteration(Cases.Case c) {
        List<MatrixBatch> host = c.copies();
        try (PowerState warm = backend().newPowerState(host, new PowerOptions(5, 6, 1));
                PowerState cold = backend().newPowerState(host, new PowerOptions(5, 0, 1))) {
            backend().powerIteration(host, cold, 6);
            assertVector(
                    c + ": u after warm-up 6 vs 6 iterations",
                    Dense.vector(warm.exportU(), 0, warm.layout().uSize()),
                    Dense.vector(cold.exportU(), 0, cold.layout().uSize()),
                    1);
            assertVector(
                    c + ": v after warm-up 6 vs 6 iterations",
                    Dense.vector(warm.exportV(), 0, warm.layout().vSize()),
                    Dense.vector(cold.exportV(), 0, cold.layout().vSize()),
                    1);
        }
    }

    /** σ̂ ≤ σ₁(1 + 1e-6) after every call, and σ̂ → σ₁ within τσ₁ when σ₂/σ₁ ≤ 0.7. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("gapped")
    void convergesToSigma1FromBelow(Cases.Case c) {
        List<MatrixBatch> host = c.copies();
        List<double[]> exact = exactValues(host);
        List<Dense> w = TestMatrices.flatten(host);
        try (PowerState state = backend().newPowerState(host, PowerOptions.DEFAULT)) {
            float[] sigma = null;
            for (int call = 0; call < 40; call++) {
                sigma = backend().powerIteration(host, state, 1);
                for (int k = 0; k < sigma.length; k++) {
                    assertAtMostSigma1(c + ", matrix " + k + ", call " + call, sigma[k], exact.get(k)[0]);
                }
            }
            for (int k = 0; k < sigma.length; k++) {
                assertSigma(
                        c + ", matrix " + k + " after 15 + 40 iterations",
                        sigma[k],
                        exact.get(k)[0],
                        w.get(k).rows,
                        w.get(k).cols,
                        0);
            }
        }
    }

    /**
     * With gap ρ = σ₂/σ₁, the relative error of σ̂ after k iterations is at most tan²θ₀·ρ^(4(k−1)) + τ, θ₀
     * the angle between the initial v and the top right singular vector (the first iteration recomputes
     * v from the same u); and the backend's σ̂ follows the float64 trajectory from the same state.
     */
    @Test
    void convergenceRateIsRhoToTheFourth() {
        double[] s = new double[32];
        s[0] = 1;
        for (int i = 1; i < s.length; i++) {
            s[i] = 0.8 * Math.pow(0.9, i - 1);
        }
        KnownSpectrum w = KnownSpectrum.of(48, 32, 401, s);
        double sigma1 = w.exact().values[0];
        double rho = w.exact().values[1] / sigma1;
        double tau = Tolerances.singularValues(48, 32);
        Float64Reference.Operator op = Float64Reference.matrix(Dense.of(w.data, 0, 48, 32));
        try (PowerState state = backend().newPowerState(w.batch(), new PowerOptions(9, 0, 1))) {
            Float64Reference.Vectors ref = vectors(state).get(0);
            double[] v0 = ref.v[0];
            double cos = Math.abs(Dense.dot(v0, w.exact().rightVector(0))) / Dense.norm2(v0);
            double tan2 = (1 - cos * cos) / (cos * cos);
            for (int k = 1; k <= 12; k++) {
                float sigma = backend().powerIteration(w.batch(), state, 1)[0];
                ref = Float64Reference.iterate(op, ref, 1);
                double sigma64 = Float64Reference.sigma(op, ref)[0];
                double error = (sigma1 - sigma) / sigma1;
                double bound = tan2 * Math.pow(rho, 4 * (k - 1)) + tau;
                if (k == 3) {
                    assertTrue(
                            (sigma1 - sigma64) / sigma1 > 100 * tau,
                            "the test matrix must converge slowly enough to tell the trajectory from σ₁");
                }
                assertTrue(
                        error <= bound,
                        String.format(
                                "iteration %d: relative error %.3e exceeds tan²θ₀·ρ^(4(k−1)) + τ"
                                        + " = %.3e (tan²θ₀ = %.3e, ρ = %.4f)",
                                k, error, bound, tan2, rho));
                assertSigma(
                        "iteration " + k + " against the float64 iteration from the same state",
                        sigma,
                        sigma64,
                        48,
                        32,
                        0);
                assertAtMostSigma1("iteration " + k, sigma, sigma1);
            }
        }
    }

    /** An exported state imported into new state (or into other state) continues bit for bit the same. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("general")
    void exportImportRoundTrip(Cases.Case c) {
        List<MatrixBatch> host = c.copies();
        try (PowerState a = backend().newPowerState(host, new PowerOptions(2, 15, 1))) {
            backend().powerIteration(host, a, 3);
            Snapshot saved = Snapshot.of(a);
            try (PowerState b = backend()
                            .importPowerState(shapes(host), StateLayout.Operator.MATRIX, 1, saved.u(), saved.v());
                    PowerState other = backend().newPowerState(host, new PowerOptions(99, 1, 1))) {
                assertEquals(a.layout(), b.layout());
                saved.assertSame(b, "right after import");
                other.importVectors(saved.u(), saved.v());
                float[] sa = backend().powerIteration(host, a, 2);
                float[] sb = backend().powerIteration(host, b, 2);
                float[] so = backend().powerIteration(host, other, 2);
                assertArrayEquals(sa, sb, "σ̂ after import");
                assertArrayEquals(sa, so, "σ̂ after importVectors");
                Snapshot after = Snapshot.of(a);
                after.assertSame(b, "imported state after 2 iterations");
                after.assertSame(other, "importVectors state after 2 iterations");
            }
        }
    }

    /** The same seed gives the same state and σ̂; another seed other vectors. */
    @Test
    void seedsAreReproducible() {
        List<MatrixBatch> host = TestMatrices.layers(402);
        try (PowerState a = backend().newPowerState(host, new PowerOptions(11, 15, 1));
                PowerState b = backend().newPowerState(host, new PowerOptions(11, 15, 1));
                PowerState c = backend().newPowerState(host, new PowerOptions(12, 0, 1))) {
            Snapshot.of(a).assertSame(b, "same seed");
            assertArrayEquals(backend().powerIteration(host, a, 1), backend().powerIteration(host, b, 1));
            assertFalse(Arrays.equals(a.exportU(), c.exportU()), "another seed draws other vectors");
            assertEquals(0, PowerOptions.DEFAULT.seed(), "default seed");
            assertEquals(15, PowerOptions.DEFAULT.warmup(), "default warm-up");
        }
    }

    /**
     * Matrix k starts from stream k whatever the list looks like: the same state as a list of single
     * matrices and as one batch, and the state of matrix k does not depend on the other matrices.
     */
    @Test
    void matrixIndexStreamsAreIndependent() {
        MatrixBatch a = TestMatrices.gaussian(403, 12, 9);
        MatrixBatch b = TestMatrices.gaussian(404, 12, 9);
        MatrixBatch c = TestMatrices.gaussian(405, 12, 9);
        MatrixBatch stacked = MatrixBatch.stack(List.of(a, b, c));
        for (int warmup : new int[] {0, 3}) {
            PowerOptions o = new PowerOptions(21, warmup, 1);
            try (PowerState list = backend().newPowerState(List.of(a, b, c), o);
                    PowerState batch = backend().newPowerState(stacked, o);
                    PowerState others =
                            backend().newPowerState(List.of(TestMatrices.gaussian(406, 2, 7, 4, 1), c), o)) {
                List<Float64Reference.Vectors> l = vectors(list);
                List<Float64Reference.Vectors> s = vectors(batch);
                List<Float64Reference.Vectors> x = vectors(others);
                for (int k = 0; k < 3; k++) {
                    String what = "warm-up " + warmup + ", matrix " + k + ", list versus batch";
                    assertVector(what + ": u", l.get(k).u[0], s.get(k).u[0], 1);
                    assertVector(what + ": v", l.get(k).v[0], s.get(k).v[0], 1);
                }
                String what = "warm-up " + warmup + ", matrix 2 after other matrices";
                assertVector(what + ": u", l.get(2).u[0], x.get(2).u[0], 1);
                assertVector(what + ": v", l.get(2).v[0], x.get(2).v[0], 1);
            }
        }
    }

    /**
     * A part of a list, passed alone with {@code firstIndex} = the flattened index of its first matrix, starts
     * from the vectors SeededGaussian(seed, firstIndex + k) and iterates bit for bit as inside the whole list:
     * the list [A, B] (two matrices each) against [B] at first index 2 and B's second matrix at first index 3,
     * for σ₁ and top-2, with and without warm-up; at first index 0, B alone starts elsewhere.
     */
    @Test
    void aPartAloneWithItsFirstIndexIteratesAsInTheWholeList() {
        MatrixBatch a = TestMatrices.gaussian(412, 2, 9, 7, 1);
        MatrixBatch b = TestMatrices.gaussian(413, 2, 12, 9, 1);
        MatrixBatch last = MatrixBatch.of(Arrays.copyOfRange(b.toArray(), 12 * 9, 2 * 12 * 9), 12, 9);
        for (int vectors : new int[] {1, 2}) {
            for (int warmup : new int[] {0, 15}) {
                PowerOptions o = new PowerOptions(23, warmup, vectors);
                String what = vectors + " vector(s), warm-up " + warmup;
                try (PowerState whole = backend().newPowerState(List.of(a, b), o);
                        PowerState tail = backend().newPowerState(List.of(b), o.withFirstIndex(2));
                        PowerState one = backend().newPowerState(List.of(last), o.withFirstIndex(3));
                        PowerState unshifted = backend().newPowerState(List.of(b), o)) {
                    assertSameVectors(what + ", [B] at 2", whole, 2, tail, 0, 2);
                    assertSameVectors(what + ", B's matrix 1 at 3", whole, 3, one, 0, 1);
                    assertFalse(
                            Arrays.equals(tail.exportU(), unshifted.exportU()), what + ": index 0 draws other vectors");
                    if (warmup == 0) {
                        for (int k = 0; k < 2; k++) {
                            Float64Reference.Vectors seeded = Float64Reference.seeded(23, 2 + k, vectors, 12, 9);
                            for (int j = 0; j < vectors; j++) {
                                assertRounded(
                                        what + ", [B] at 2, matrix " + k + ": u" + j,
                                        vectors(tail).get(k).u[j],
                                        seeded.u[j]);
                            }
                        }
                    }
                    float[] sigmas = backend().powerIteration(List.of(a, b), whole, 3);
                    float[] tailSigmas = backend().powerIteration(List.of(b), tail, 3);
                    float[] oneSigmas = backend().powerIteration(List.of(last), one, 3);
                    for (int k = 0; k < 2 * vectors; k++) {
                        assertEquals(sigmas[2 * vectors + k], tailSigmas[k], what + ": σ̂ " + k + " of [B] at 2");
                    }
                    for (int j = 0; j < vectors; j++) {
                        assertEquals(sigmas[3 * vectors + j], oneSigmas[j], what + ": σ̂ " + j + " of B's matrix 1");
                    }
                    assertSameVectors(what + ", after 3 steps, [B] at 2", whole, 2, tail, 0, 2);
                    assertSameVectors(what + ", after 3 steps, B's matrix 1 at 3", whole, 3, one, 0, 1);
                }
            }
        }
    }

    /** SRIP state is seeded the same way: [B] at first index 2 starts as B does in [A, B]. */
    @Test
    void sripStateHonoursTheFirstIndex() {
        MatrixBatch a = TestMatrices.gaussian(414, 2, 9, 7, 1);
        MatrixBatch b = TestMatrices.gaussian(415, 1, 12, 9, 1);
        PowerOptions o = new PowerOptions(24, 2, 1);
        try (PowerState whole = backend().newSripState(List.of(a, b), o);
                PowerState tail = backend().newSripState(List.of(b), o.withFirstIndex(2))) {
            assertSameVectors("SRIP, [B] at 2", whole, 2, tail, 0, 1);
        }
    }

    /** The u and v of {@code count} matrices from {@code from} of {@code a} and from {@code to} of {@code b}, bit for bit. */
    private static void assertSameVectors(String what, PowerState a, int from, PowerState b, int to, int count) {
        StateLayout la = a.layout();
        StateLayout lb = b.layout();
        assertArrayEquals(
                Arrays.copyOfRange(a.exportU(), la.uOffset(from), la.uOffset(from + count)),
                Arrays.copyOfRange(b.exportU(), lb.uOffset(to), lb.uOffset(to + count)),
                what + ": u");
        assertArrayEquals(
                Arrays.copyOfRange(a.exportV(), la.vOffset(from), la.vOffset(from + count)),
                Arrays.copyOfRange(b.exportV(), lb.vOffset(to), lb.vOffset(to + count)),
                what + ": v");
    }

    /**
     * k = 0 with σ̂ = uᵀWv &lt; 0 (W negated, or u's sign swapped) is a stale state: StaleStateException
     * naming the matrix, state unchanged; with k ≥ 1 the iteration simply recovers.
     */
    @Test
    void staleStateIsDetected() {
        List<MatrixBatch> host = TestMatrices.layers(407);
        int victim = TestMatrices.flatIndex(host, 2, 1);
        try (PowerState state = backend().newPowerState(host, PowerOptions.DEFAULT)) {
            Snapshot before = Snapshot.of(state);
            List<MatrixBatch> negated = TestMatrices.copy(host);
            negated.set(2, negateMatrix(host.get(2), 1));
            StaleStateException e =
                    assertThrows(StaleStateException.class, () -> backend().powerIteration(negated, state, 0));
            assertEquals(victim, e.matrixIndex(), "the stale matrix's flattened index: " + e.getMessage());
            before.assertSame(state, "after the stale evaluation");
            List<MatrixBatch> out =
                    shapes(host).stream().map(MatrixBatch::zeros).toList();
            assertThrows(StaleStateException.class, () -> backend().normalize(negated, state, 0, out));
            before.assertSame(state, "after the stale normalization");
            assertThrows(StaleStateException.class, () -> backend().spectralRegularizer(negated, state, 0, 1f, null));
            before.assertSame(state, "after the stale regularizer");

            float[] u = before.u().clone();
            int at = state.layout().uOffset(0);
            for (int i = 0; i < state.layout().uLength(0); i++) {
                u[at + i] = -u[at + i];
            }
            state.importVectors(u, before.v());
            StaleStateException flipped =
                    assertThrows(StaleStateException.class, () -> backend().powerIteration(host, state, 0));
            assertEquals(0, flipped.matrixIndex(), flipped.getMessage());
            float[] recovered = backend().powerIteration(negated, state, 1);
            for (float s : recovered) {
                assertTrue(s >= 0, "an iteration recovers: " + Arrays.toString(recovered));
            }
        }
    }

    /**
     * A zero matrix: σ̂ = 0, u and v stay the seeded vectors (a zero product never replaces a stored
     * vector), evaluation gives 0 without a stale-state error; its neighbours are unaffected.
     */
    @Test
    void zeroMatrixKeepsSeededVectors() {
        MatrixBatch batch = MatrixBatch.stack(List.of(
                TestMatrices.gaussian(408, 8, 6), TestMatrices.zeros(1, 8, 6), TestMatrices.gaussian(409, 8, 6)));
        try (PowerState state = backend().newPowerState(batch, new PowerOptions(4, 15, 1))) {
            float[] sigma = backend().powerIteration(batch, state, 3);
            assertEquals(0f, sigma[1], "σ̂ of the zero matrix");
            assertEquals(0f, backend().powerIteration(batch, state, 0)[1], "evaluation of the zero matrix");
            Float64Reference.Vectors seeded = Float64Reference.seeded(4, 1, 1, 8, 6);
            Float64Reference.Vectors got = vectors(state).get(1);
            assertRounded("zero matrix: u stays the seeded u", got.u[0], seeded.u[0]);
            assertRounded("zero matrix: v stays the stream's fallback v", got.v[0], seeded.v[0]);
            List<double[]> exact = exactValues(List.of(batch));
            for (int k : new int[] {0, 2}) {
                assertTrue(sigma[k] > 0, "matrix " + k + " is not zero: σ̂ = " + sigma[k]);
                assertAtMostSigma1("matrix " + k, sigma[k], exact.get(k)[0]);
            }
        }
    }

    /** Entries near 1e18 (‖Wv‖² overflows float32): norms are scaled, σ̂ still converges to σ₁. */
    @Test
    void hugeEntries() {
        KnownSpectrum w = KnownSpectrum.geometric(32, 24, 410, 4e19, 0.5);
        try (PowerState state = backend().newPowerState(w.batch(), PowerOptions.DEFAULT)) {
            float sigma = backend().powerIteration(w.batch(), state, 5)[0];
            assertSigma("σ₁ = 4e19", sigma, w.exact().values[0], 32, 24, 0);
            assertAtMostSigma1("σ₁ = 4e19", sigma, w.exact().values[0]);
            Float64Reference.Vectors v = vectors(state).get(0);
            assertEquals(1, Dense.norm2(v.u[0]), 1e-5, "‖u‖");
            assertEquals(1, Dense.norm2(v.v[0]), 1e-5, "‖v‖");
        }
    }

    /** The one-batch overload is the list form with one batch. */
    @Test
    void batchOverloadAgreesWithList() {
        MatrixBatch w = TestMatrices.gaussian(411, 3, 6, 9, 1);
        try (PowerState a = backend().newPowerState(w, PowerOptions.DEFAULT);
                PowerState b = backend().newPowerState(List.of(w), PowerOptions.DEFAULT)) {
            Snapshot.of(a).assertSame(b, "newPowerState(batch) versus newPowerState(list)");
            assertArrayEquals(
                    backend().powerIteration(List.of(w), b, 2), backend().powerIteration(w, a, 2));
        }
    }

    static MatrixBatch negateMatrix(MatrixBatch batch, int matrix) {
        float[] x = batch.toArray();
        int size = batch.shape().matrixSize();
        for (int i = matrix * size; i < (matrix + 1) * size; i++) {
            x[i] = -x[i];
        }
        return MatrixBatch.of(
                x, batch.shape().batch(), batch.shape().rows(), batch.shape().cols());
    }
}
