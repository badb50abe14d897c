package dev.specnorm.api.testing;

import static dev.specnorm.api.testing.NumericAssertions.assertAtMostSigma1;
import static dev.specnorm.api.testing.NumericAssertions.assertDecomposition;
import static dev.specnorm.api.testing.NumericAssertions.assertGradient;
import static dev.specnorm.api.testing.NumericAssertions.assertSigma;
import static dev.specnorm.api.testing.NumericAssertions.assertSingularValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.specnorm.api.Conventions;
import dev.specnorm.api.FloatOverflowException;
import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SingularDecomposition;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Numerical edge cases with defined behaviour (SPEC.md) that the other parts of the suite do not
 * already cover: rank 1 and a repeated σ₁ through the iterative methods (power iteration, top-k, Lanczos,
 * normalization), entries near 1e18 through Lanczos, normalization and the regularizer, entries near 1e-25
 * (exact methods right, power iteration inside its eps contract), gradients that overflow float32 although
 * there is no loss to show it, and biggan on a tall matrix with one dominant row. Already covered elsewhere,
 * and not repeated here: zero matrices (ExactContract, PowerIterationContract.zeroMatrixKeepsSeededVectors,
 * LanczosContract.zeroMatrix, the batches with a zero matrix of {@link Cases#general}), the exact rank-1 and
 * repeated-σ₁ SVDs ({@link Cases#exact}), exact methods and power iteration at 4e19
 * (ExactContract.extremeScales, PowerIterationContract.hugeEntries), penalty and regularizer overflow and
 * masked NaNs ({@link NonFiniteContract}).
 */
public abstract class EdgeCaseContract extends ContractSupport {

    private static Dense dense(MatrixBatch b) {
        return Dense.of(b.toArray(), 0, b.shape().rows(), b.shape().cols());
    }

    /** W = a bᵀ: one iteration finds σ₁ = ‖a‖‖b‖; top-2 survives an exactly zero deflated product (no NaN). */
    @Test
    void rankOne() {
        MatrixBatch w = TestMatrices.rankDeficient(1201, 12, 7, 1);
        double sigma1 = JacobiSvd.values(dense(w))[0];
        try (PowerState state = backend().newPowerState(w, new PowerOptions(5, 0, 1))) {
            float sigma = backend().powerIteration(w, state, 1)[0];
            assertSigma("rank 1, one iteration", sigma, sigma1, 12, 7, 0);
            assertAtMostSigma1("rank 1", sigma, sigma1);
            MatrixBatch out = MatrixBatch.zeros(w.shape());
            backend().normalize(w, state, 1, out);
            assertEquals(1, JacobiSvd.values(dense(out))[0], 1e-5, "σ(Ŵ) of a rank-1 W");
        }
        try (PowerState top = backend().newPowerState(w, new PowerOptions(5, 15, 2))) {
            float[] sigma = backend().topK(List.of(w), top, 3)[0];
            assertSigma("rank 1, top-2 σ̂₁", sigma[0], sigma1, 12, 7, 0);
            // σ₂ = 0, but SPEC.md's σ̂₂ = u₂ᵀWv₂ with the kept (seeded, not deflated) vectors of an exactly zero
            // deflated product need not be 0 (here −26.2 with σ₁ = 53.7): only finite and |σ̂₂| ≤ σ₁ are defined
            assertTrue(
                    Float.isFinite(sigma[1]) && Math.abs(sigma[1]) <= sigma1 * (1 + 1e-6),
                    "rank 1: σ̂₂ = " + sigma[1] + ", σ₁ = " + sigma1);
            for (float x : top.exportU()) {
                assertTrue(Float.isFinite(x), "top-k state u holds " + x);
            }
            for (float x : top.exportV()) {
                assertTrue(Float.isFinite(x), "top-k state v holds " + x);
            }
        }
        LanczosEstimate e =
                backend().lanczos(List.of(w), LanczosOptions.DEFAULT).get(0);
        assertSigma("rank 1, Lanczos " + e, e.sigma(), sigma1, 12, 7, e.residualBound());
    }

    /** σ₁ = σ₂ = 3, σ₃ = 1: σ̂ still converges to 3 (the vectors need not), from below; so do top-2 and Lanczos. */
    @Test
    void repeatedTopSingularValue() {
        KnownSpectrum w = KnownSpectrum.of(20, 12, 1202, 3, 3, 1, 0.5, 0.25);
        double sigma1 = w.exact().values[0];
        try (PowerState state = backend().newPowerState(w.batch(), PowerOptions.DEFAULT)) {
            float sigma = backend().powerIteration(w.batch(), state, 30)[0];
            assertSigma("σ₁ = σ₂, power iteration", sigma, sigma1, 20, 12, 0);
            assertAtMostSigma1("σ₁ = σ₂", sigma, sigma1);
            MatrixBatch out = MatrixBatch.zeros(w.batch().shape());
            backend().normalize(w.batch(), state, 1, out);
            assertEquals(1, JacobiSvd.values(dense(out))[0], 1e-5, "σ(Ŵ) with σ₁ = σ₂");
        }
        try (PowerState top = backend().newPowerState(w.batch(), new PowerOptions(0, 15, 2))) {
            float[] sigma = backend().topK(List.of(w.batch()), top, 40)[0];
            assertSigma("σ₁ = σ₂, top-2 σ̂₁", sigma[0], sigma1, 20, 12, 0);
            assertSigma("σ₁ = σ₂, top-2 σ̂₂", sigma[1], w.exact().values[1], 20, 12, 0);
        }
        LanczosEstimate e =
                backend().lanczos(List.of(w.batch()), LanczosOptions.DEFAULT).get(0);
        assertSigma("σ₁ = σ₂, Lanczos " + e, e.sigma(), sigma1, 20, 12, e.residualBound());
    }

    /**
     * Entries near 1e18 (‖W‖²_F overflows float32): Lanczos meets its tolerance, normalization gives
     * σ(Ŵ) = 1 and a backward gradient within SPEC.md's bound, the regularizer λσ̂² (it fits) is right.
     */
    @Test
    void hugeEntriesThroughLanczosNormalizationAndRegularizer() {
        KnownSpectrum w = KnownSpectrum.geometric(24, 16, 1203, 4e18, 0.5);
        Dense wd = Dense.of(w.data, 0, 24, 16);
        double sigma1 = w.exact().values[0];
        LanczosEstimate e =
                backend().lanczos(List.of(w.batch()), LanczosOptions.DEFAULT).get(0);
        assertSigma("σ₁ = 4e18, Lanczos " + e, e.sigma(), sigma1, 24, 16, e.residualBound());
        try (PowerState state = backend().newPowerState(w.batch(), PowerOptions.DEFAULT)) {
            MatrixBatch out = MatrixBatch.zeros(w.batch().shape());
            float sigma = backend().normalize(w.batch(), state, 20, out)[0];
            assertSigma("σ₁ = 4e18, normalize", sigma, sigma1, 24, 16, 0);
            assertEquals(1, JacobiSvd.values(dense(out))[0], 1e-5, "σ(Ŵ) at 4e18");
            MatrixBatch g = TestMatrices.gaussian(1204, 1, 24, 16, 1);
            MatrixBatch grad = MatrixBatch.zeros(w.batch().shape());
            backend().normalizeBackward(w.batch(), state, g, grad);
            Float64Reference.Vectors v = vectors(state).get(0);
            assertGradient(
                    "SN backward at 4e18",
                    dense(grad),
                    Float64Reference.normalizeBackward(wd, v.u[0], v.v[0], dense(g)));
            MatrixBatch rg = MatrixBatch.zeros(w.batch().shape());
            PenaltyResult r = backend().spectralRegularizer(List.of(w.batch()), state, 0, 1e-3f, List.of(rg));
            Float64Reference.Evaluation ref = Float64Reference.regularizer(wd, v.u[0], v.v[0], 1e-3);
            NumericAssertions.assertValue("λσ̂² at 4e18", r.loss(), ref.value(), ref.valueBound());
            assertGradient("∂(λσ̂²)/∂W at 4e18", dense(rg), ref);
        }
    }

    /**
     * Entries near 1e-25 (σ₁ far below eps = 1e-12): exact values, decomposition and Lanczos are right;
     * power iteration stays inside its eps contract — σ̂ finite, 0 ≤ σ̂ ≤ σ₁, vectors finite of norm ≤ 1
     * (underflowing products never replace them) — and normalization takes its eps branch: Ŵ = W/eps,
     * ∂L/∂W = G/eps.
     */
    @Test
    void tinyEntries() {
        KnownSpectrum w = KnownSpectrum.geometric(30, 20, 1205, 1e-25, 0.8);
        Dense wd = Dense.of(w.data, 0, 30, 20);
        double sigma1 = w.exact().values[0];
        assertSingularValues("σ₁ = 1e-25", backend().singularValues(w.batch())[0], w.exact().values, 30, 20);
        assertSigma("σ₁ = 1e-25, spectralNorm", backend().spectralNorm(w.batch())[0], sigma1, 30, 20, 0);
        SingularDecomposition d = backend().svd(List.of(w.batch()), true).get(0);
        assertDecomposition("σ₁ = 1e-25", d, wd);
        LanczosEstimate e =
                backend().lanczos(List.of(w.batch()), LanczosOptions.DEFAULT).get(0);
        assertSigma("σ₁ = 1e-25, Lanczos " + e, e.sigma(), sigma1, 30, 20, e.residualBound());
        try (PowerState state = backend().newPowerState(w.batch(), PowerOptions.DEFAULT)) {
            for (int k : new int[] {1, 5, 0}) {
                float sigma = backend().powerIteration(w.batch(), state, k)[0];
                assertTrue(Float.isFinite(sigma) && sigma >= 0, "σ̂ = " + sigma + " after " + k);
                assertAtMostSigma1("σ₁ = 1e-25, k = " + k, sigma, sigma1);
                Float64Reference.Vectors v = vectors(state).get(0);
                assertFiniteUnitBall("u", v.u[0]);
                assertFiniteUnitBall("v", v.v[0]);
            }
            MatrixBatch out = MatrixBatch.zeros(w.batch().shape());
            float sigma = backend().normalize(w.batch(), state, 1, out)[0];
            assertTrue(sigma <= Conventions.EPS, "σ̂ = " + sigma);
            Dense expected = wd.scale(1 / Float64Reference.EPS);
            NumericAssertions.assertNormwise("Ŵ = W/eps at 1e-25", dense(out), expected, expected.abs(), 0);
            MatrixBatch g = TestMatrices.gaussian(1206, 1, 30, 20, 1);
            MatrixBatch grad = MatrixBatch.zeros(w.batch().shape());
            backend().normalizeBackward(w.batch(), state, g, grad);
            Dense gd = dense(g).scale(1 / Float64Reference.EPS);
            NumericAssertions.assertNormwise("∂L/∂W = G/eps at 1e-25", dense(grad), gd, gd.abs(), 0);
        }
    }

    private static void assertFiniteUnitBall(String name, double[] x) {
        for (double e : x) {
            if (!Double.isFinite(e)) {
                fail(name + " holds " + e);
            }
        }
        assertTrue(Dense.norm2(x) <= 1 + 1e-6, "‖" + name + "‖ = " + Dense.norm2(x));
    }

    /**
     * A NaN that only the gradient would show: spectral normalization's backward pass has no loss, and
     * (G − ⟨G, Ŵ⟩uvᵀ)/σ̂ of finite G and W can exceed float32 (σ̂ small, G large), as can G/eps in the eps
     * branch. FloatOverflowException naming the matrix, state unchanged — never an infinite gradient.
     */
    @Test
    void backwardGradientOverflowIsAnError() {
        for (double scale : new double[] {1e-6, 1e-14}) {
            MatrixBatch w = MatrixBatch.stack(
                    List.of(TestMatrices.gaussian(1207, 5, 4), TestMatrices.gaussian(1208, 1, 5, 4, scale)));
            float[] g = TestMatrices.gaussian(1209, 1, 5, 4, 1).toArray();
            float[] big = TestMatrices.gaussian(1210, 1, 5, 4, 3e37).toArray();
            float[] both = new float[40];
            System.arraycopy(g, 0, both, 0, 20);
            System.arraycopy(big, 0, both, 20, 20);
            MatrixBatch gradOutput = MatrixBatch.of(both, 2, 5, 4);
            try (PowerState state = backend().newPowerState(w, PowerOptions.DEFAULT)) {
                Snapshot before = Snapshot.of(state);
                FloatOverflowException e = assertThrows(
                        FloatOverflowException.class,
                        () -> backend().normalizeBackward(w, state, gradOutput, MatrixBatch.zeros(w.shape())),
                        "W scale " + scale);
                assertEquals(1, e.matrixIndex(), e.getMessage());
                before.assertSame(state, "after the overflow");
            }
        }
    }

    /**
     * biggan (and slices, its alias) of a tall W whose first row dominates: the value and gradient of the
     * SPEC.md formula, β‖A ⊙ (1 − I)‖²_F with A = WWᵀ, to SPEC.md's bounds (the formula has no subtraction,
     * so the bound is the value itself).
     */
    @ParameterizedTest
    @EnumSource(
            value = Penalty.class,
            names = {"BIGGAN", "SLICES"})
    void bigganOfTallMatrixWithDominantRow(Penalty p) {
        for (MatrixBatch w : List.of(dominantRow(6, 1, 1e10), dominantRow(8, 3, 1e4))) {
            Dense wd = dense(w);
            Float64Reference.Evaluation ref = Float64Reference.penalty(Penalty.BIGGAN, wd, 1);
            MatrixBatch grad = MatrixBatch.zeros(w.shape());
            PenaltyResult r = backend().orthogonalPenalty(w, p, 1f, grad);
            NumericAssertions.assertValue(
                    p + " of " + w.shape() + " with a dominant row", r.loss(), ref.value(), ref.valueBound());
            assertGradient(p + " gradient of " + w.shape() + " with a dominant row", dense(grad), ref);
        }
    }

    /** The same with the dominant row at 1e30: R ≈ 1e61 must be a FloatOverflowException, not a small number. */
    @Test
    void bigganOfTallMatrixWithOverflowingDominantRow() {
        MatrixBatch w = dominantRow(6, 1, 1e30);
        assertTrue(Float64Reference.penalty(Penalty.BIGGAN, dense(w), 1).value() > Float.MAX_VALUE);
        for (boolean gradient : new boolean[] {false, true}) {
            FloatOverflowException e = assertThrows(
                    FloatOverflowException.class,
                    () -> backend()
                            .orthogonalPenalty(w, Penalty.BIGGAN, 1f, gradient ? MatrixBatch.zeros(w.shape()) : null),
                    "gradient " + gradient);
            assertEquals(0, e.matrixIndex(), e.getMessage());
        }
    }

    /** An m×n matrix of ones (and small Gaussian noise for n &gt; 1) whose first row is {@code top} times larger. */
    static MatrixBatch dominantRow(int m, int n, double top) {
        float[] x =
                n == 1 ? new float[m] : TestMatrices.gaussian(1211, 1, m, n, 1).toArray();
        if (n == 1) {
            Arrays.fill(x, 1f);
        }
        for (int j = 0; j < n; j++) {
            x[j] = (float) (top * (j + 1));
        }
        return MatrixBatch.of(x, m, n);
    }
}
