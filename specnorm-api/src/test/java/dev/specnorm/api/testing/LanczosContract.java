package dev.specnorm.api.testing;

import static dev.specnorm.api.testing.NumericAssertions.assertAtMostSigma1;
import static dev.specnorm.api.testing.NumericAssertions.assertSigma;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.MatrixBatch;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * σ₁ by Golub–Kahan–Lanczos (SPEC.md "Lanczos"): within τ of the exact σ₁ and never above it beyond
 * rounding; the residual bound reported is meaningful (some singular value lies within it of σ̂, and
 * {@code converged} says whether it reached tol·σ̂); the step limit, the zero matrix and a hard gap.
 */
public abstract class LanczosContract extends ContractSupport {

    static Stream<Arguments> cases() {
        return Cases.withStorages(Cases.general());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void convergesToSigma1WithMeaningfulBound(Cases.Case c, Storage storage) {
        List<MatrixBatch> host = c.copies();
        List<double[]> exact = exactValues(host);
        List<Dense> w = TestMatrices.flatten(host);
        try (Operands ops = operands(storage)) {
            List<LanczosEstimate> est = backend().lanczos(ops.inputs(host), LanczosOptions.DEFAULT);
            assertEquals(c.matrices(), est.size(), "one estimate per matrix");
            for (int k = 0; k < est.size(); k++) {
                LanczosEstimate e = est.get(k);
                String what = c + ", matrix " + k;
                double sigma1 = exact.get(k)[0];
                assertTrue(e.converged(), what + ": converged within the default 300 steps, got " + e);
                assertBoundMeaningful(what, e, exact.get(k), LanczosOptions.DEFAULT.tolerance());
                assertSigma(what, e.sigma(), sigma1, w.get(k).rows, w.get(k).cols, 0);
                assertAtMostSigma1(what, e.sigma(), sigma1);
            }
            ops.assertInputsUnchanged();
        }
    }

    /** The one-batch overload uses the defaults. */
    @Test
    void batchOverloadUsesDefaults() {
        MatrixBatch w = TestMatrices.gaussian(301, 2, 15, 11, 1);
        List<LanczosEstimate> a = backend().lanczos(w);
        List<LanczosEstimate> b = backend().lanczos(List.of(w), LanczosOptions.DEFAULT);
        assertEquals(b, a);
    }

    /** Stopped by maxSteps: not converged, the bound reported is above tol·σ̂ and still true. */
    @Test
    void stepLimitReportsTheBoundReached() {
        KnownSpectrum w = KnownSpectrum.geometric(64, 48, 302, 1, 0.995);
        LanczosOptions options = new LanczosOptions(1e-6, 3, 0);
        LanczosEstimate e = backend().lanczos(List.of(w.batch()), options).get(0);
        assertFalse(e.converged(), "3 steps on a spectrum with ρ = 0.995 cannot converge: " + e);
        assertTrue(e.steps() <= 3, "at most maxSteps steps: " + e);
        assertBoundMeaningful("64×48, 3 steps", e, w.exact().values, options.tolerance());
        assertAtMostSigma1("64×48, 3 steps", e.sigma(), w.exact().values[0]);
    }

    /** σ₂ = (1 − 1e-4)σ₁, closer than the tolerance the answer must meet: no misconvergence to σ₂. */
    @Test
    void hardGap() {
        double[] s = new double[90];
        s[0] = 1;
        s[1] = 1 - 1e-4;
        for (int i = 2; i < s.length; i++) {
            s[i] = 0.5 * Math.pow(0.97, i);
        }
        KnownSpectrum w = KnownSpectrum.of(120, 90, 303, s);
        LanczosEstimate e =
                backend().lanczos(List.of(w.batch()), LanczosOptions.DEFAULT).get(0);
        assertBoundMeaningful("hard gap", e, w.exact().values, 1e-6);
        assertSigma("hard gap", e.sigma(), w.exact().values[0], 120, 90, 0);
        assertAtMostSigma1("hard gap", e.sigma(), w.exact().values[0]);
    }

    /** A zero matrix (alone and inside a batch) has σ̂ = 0 and a finite bound, never NaN. */
    @Test
    void zeroMatrix() {
        MatrixBatch batch = MatrixBatch.stack(List.of(TestMatrices.gaussian(304, 7, 5), TestMatrices.zeros(1, 7, 5)));
        List<LanczosEstimate> est =
                backend().lanczos(List.of(TestMatrices.zeros(1, 6, 9), batch), LanczosOptions.DEFAULT);
        for (int k : new int[] {0, 2}) {
            LanczosEstimate e = est.get(k);
            assertEquals(0f, e.sigma(), "matrix " + k + " is zero: " + e);
            assertTrue(Double.isFinite(e.residualBound()) && e.residualBound() >= 0, "matrix " + k + ": bound " + e);
        }
        assertSigma(
                "matrix 1",
                est.get(1).sigma(),
                JacobiSvd.values(TestMatrices.flatten(List.of(batch)).get(0))[0],
                7,
                5,
                0);
    }

    /** The same seed gives the same estimate; any seed converges. */
    @Test
    void seedsAreReproducible() {
        KnownSpectrum w = KnownSpectrum.geometric(30, 20, 305, 2, 0.9);
        LanczosOptions seven = new LanczosOptions(1e-6, 300, 7);
        assertEquals(backend().lanczos(List.of(w.batch()), seven), backend().lanczos(List.of(w.batch()), seven));
        LanczosEstimate e = backend()
                .lanczos(List.of(w.batch()), new LanczosOptions(1e-6, 300, 8))
                .get(0);
        assertSigma("seed 8", e.sigma(), w.exact().values[0], 30, 20, 0);
    }

    /**
     * A part of a list, passed alone with {@code firstIndex} = the flattened index of its first matrix, gets
     * bit for bit the estimates it gets inside the whole list: [A, B] (two matrices each) against [B] at first
     * index 2 and B's second matrix at first index 3. Three steps on a slowly decaying spectrum, so that the
     * estimate depends on the start vector: at first index 0, B alone gets other estimates.
     */
    @Test
    void aPartAloneWithItsFirstIndexGetsTheWholeListsEstimates() {
        MatrixBatch a = MatrixBatch.stack(List.of(
                KnownSpectrum.geometric(20, 14, 306, 1, 0.97).batch(),
                KnownSpectrum.geometric(20, 14, 307, 1, 0.97).batch()));
        MatrixBatch last = KnownSpectrum.geometric(30, 24, 309, 2, 0.98).batch();
        MatrixBatch b = MatrixBatch.stack(
                List.of(KnownSpectrum.geometric(30, 24, 308, 2, 0.98).batch(), last));
        LanczosOptions options = new LanczosOptions(1e-9, 3, 12);
        List<LanczosEstimate> whole = backend().lanczos(List.of(a, b), options);
        List<LanczosEstimate> tail = backend().lanczos(List.of(b), options.withFirstIndex(2));
        List<LanczosEstimate> one = backend().lanczos(List.of(last), options.withFirstIndex(3));
        assertEquals(whole.subList(2, 4), tail, "[B] at first index 2");
        assertEquals(whole.subList(3, 4), one, "B's matrix 1 at first index 3");
        List<LanczosEstimate> unshifted = backend().lanczos(List.of(b), options);
        for (int k = 0; k < 2; k++) {
            assertNotEquals(
                    whole.get(2 + k).sigma(), unshifted.get(k).sigma(), "matrix " + k + " of [B] at first index 0");
        }
    }

    /**
     * The residual bound is finite and non-negative; some exact singular value lies within it of σ̂ (up to
     * the float32 rounding of σ̂, ε·σ₁); {@code converged} holds exactly when bound ≤ tol·σ̂.
     */
    static void assertBoundMeaningful(String what, LanczosEstimate e, double[] exact, double tol) {
        double r = e.residualBound();
        if (!(Double.isFinite(r) && r >= 0)) {
            fail(what + ": residual bound " + r);
        }
        double nearest = Double.POSITIVE_INFINITY;
        for (double s : exact) {
            nearest = Math.min(nearest, Math.abs(e.sigma() - s));
        }
        double slack = 2 * Tolerances.FLOAT_EPS * exact[0];
        if (!(nearest <= r + slack)) {
            fail(String.format(
                    "%s: σ̂ = %.9g is %.3e from the nearest singular value, more than its residual bound "
                            + "%.3e + rounding %.1e",
                    what, e.sigma(), nearest, r, slack));
        }
        double threshold = tol * e.sigma();
        if (Math.abs(r - threshold) > 1e-6 * threshold) {
            // (an engine compares in float64 with its unrounded σ̂: only decide away from the threshold)
            assertEquals(
                    r <= threshold,
                    e.converged(),
                    what + ": converged must say whether bound ≤ tol·σ̂: " + e + ", tol " + tol);
        }
    }
}
