package dev.specnorm.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.specnorm.api.SingularDecomposition;

/**
 * The checks of SPEC.md "Accuracy expectations", each failing with the numbers it compared: normwise
 * gradients against a float64 reference (‖g − g₆₄‖_F ≤ 1e-5‖ḡ‖_F) and against finite differences,
 * singular values (|σ̂ᵢ − σᵢ| ≤ τσ₁, descending), reconstruction (‖UΣVᵀ − W‖_F ≤ τ‖W‖_F),
 * orthonormality (‖QᵀQ − I‖₂ ≤ τ), σ̂ ≤ σ₁(1 + 1e-6), and values of a formula against their absolute
 * bound.
 */
public final class NumericAssertions {

    private NumericAssertions() {}

    /** ‖actual − ref.gradient‖_F ≤ 1e-5·‖ref.gradientBound‖_F (SPEC.md, gradients). */
    public static void assertGradient(String what, Dense actual, Float64Reference.Evaluation ref) {
        assertNormwise(what, actual, ref.gradient(), ref.gradientBound(), 0);
    }

    /**
     * ‖actual − fd‖_F ≤ 1e-5·‖ḡ‖_F + ‖fd error‖_F: the float32 gradient against central differences of the
     * float64 loss, allowing SPEC.md's tolerance plus the differences' own error bound.
     */
    public static void assertGradientMatchesDifferences(
            String what, Dense actual, FiniteDifferences.Estimate fd, Dense gradientBound) {
        assertNormwise(
                what + " vs finite differences",
                actual,
                fd.gradient(),
                gradientBound,
                fd.error().frobenius());
    }

    /** ‖actual − expected‖_F ≤ 1e-5·‖bound‖_F + extra, with a message that prints every term. */
    public static void assertNormwise(String what, Dense actual, Dense expected, Dense bound, double extra) {
        assertNormwise(what, actual, expected, bound.frobenius(), extra);
    }

    /** ‖actual − expected‖_F ≤ 1e-5·boundNorm + extra, ‖ḡ‖_F = boundNorm computed elsewhere (as by NumPy). */
    public static void assertNormwise(String what, Dense actual, Dense expected, double boundNorm, double extra) {
        assertEquals(expected.rows, actual.rows, what + ": rows");
        assertEquals(expected.cols, actual.cols, what + ": cols");
        if (!actual.isFinite()) {
            fail(what + ": non-finite entries in the result");
        }
        double diff = actual.plus(-1, expected).frobenius();
        double limit = Tolerances.GRADIENT * boundNorm + extra;
        if (!(diff <= limit)) {
            fail(String.format(
                    "%s: ‖g − g₆₄‖_F = %.6e exceeds %.1e·‖ḡ‖_F%s = %.6e (‖g₆₄‖_F = %.6e, ‖ḡ‖_F = %.6e, "
                            + "ratio %.3g)",
                    what,
                    diff,
                    Tolerances.GRADIENT,
                    extra > 0 ? " + " + String.format("%.3e", extra) : "",
                    limit,
                    expected.frobenius(),
                    boundNorm,
                    diff / limit));
        }
    }

    /** |actual − expected| ≤ 1e-5·bound for a value computed by a formula from the same state. */
    public static void assertValue(String what, double actual, double expected, double bound) {
        double diff = Math.abs(actual - expected);
        double limit = Tolerances.FORMULA * bound;
        if (!Double.isFinite(actual) || !(diff <= limit)) {
            fail(String.format(
                    "%s: got %.9g, float64 reference %.9g, |difference| %.3e exceeds %.0e·%.6e = %.3e",
                    what, actual, expected, diff, Tolerances.FORMULA, bound, limit));
        }
    }

    /** ‖actual − expected‖₂ ≤ 1e-5·bound for a vector computed by a formula from the same state. */
    public static void assertVector(String what, double[] actual, double[] expected, double bound) {
        assertEquals(expected.length, actual.length, what + ": length");
        double diff = Dense.norm2(Dense.plus(actual, -1, expected));
        double limit = Tolerances.FORMULA * bound;
        if (!(diff <= limit)) {
            fail(String.format(
                    "%s: ‖x − x₆₄‖₂ = %.6e exceeds %.0e·%.6e = %.3e", what, diff, Tolerances.FORMULA, bound, limit));
        }
    }

    /**
     * Singular values: as many as min(m, n), descending, |σ̂ᵢ − σᵢ| ≤ τσ₁ with τ = max(1e-5, 2rε).
     */
    public static void assertSingularValues(String what, float[] actual, double[] expected, int rows, int cols) {
        int r = Math.min(rows, cols);
        assertEquals(r, actual.length, what + ": number of singular values");
        double tau = Tolerances.singularValues(r);
        double top = expected.length == 0 ? 0 : expected[0];
        for (int i = 0; i < r; i++) {
            if (i > 0 && !(actual[i] <= actual[i - 1])) {
                fail(what + ": not descending at " + i + ": " + actual[i - 1] + ", " + actual[i]);
            }
            double diff = Math.abs(actual[i] - expected[i]);
            if (!(diff <= tau * top)) {
                fail(String.format(
                        "%s: σ%d = %.9g, float64 reference %.9g, |difference| %.3e exceeds τσ₁ = %.2e·%.6e = %.3e",
                        what, i + 1, actual[i], expected[i], diff, tau, top, tau * top));
            }
        }
    }

    /** One σ against the exact σ₁: |σ̂ − σ₁| ≤ τσ₁ plus {@code extra} (the bound of an iterative method). */
    public static void assertSigma(String what, double actual, double sigma1, int rows, int cols, double extra) {
        double tau = Tolerances.singularValues(rows, cols);
        double diff = Math.abs(actual - sigma1);
        double limit = tau * sigma1 + extra;
        if (!Double.isFinite(actual) || !(diff <= limit)) {
            fail(String.format(
                    "%s: σ̂ = %.9g, exact σ₁ = %.9g, |difference| %.3e (relative %.3e) exceeds τσ₁%s = %.3e",
                    what,
                    actual,
                    sigma1,
                    diff,
                    sigma1 == 0 ? diff : diff / sigma1,
                    extra > 0 ? String.format(" + %.3e", extra) : "",
                    limit));
        }
    }

    /** σ̂ ≤ σ₁(1 + 1e-6): a power-iteration estimate never exceeds σ₁ beyond rounding. */
    public static void assertAtMostSigma1(String what, double sigmaHat, double sigma1) {
        if (!(sigmaHat <= sigma1 * (1 + Tolerances.POWER_UPPER_BOUND))) {
            fail(String.format(
                    "%s: σ̂ = %.9g exceeds σ₁(1 + 1e-6) = %.9g (σ₁ = %.9g, relative excess %.3e)",
                    what, sigmaHat, sigma1 * (1 + Tolerances.POWER_UPPER_BOUND), sigma1, (sigmaHat - sigma1) / sigma1));
        }
    }

    /** ‖U Σ Vᵀ − W‖_F ≤ τ‖W‖_F, ‖UᵀU − I‖₂ ≤ τ and ‖VᵀV − I‖₂ ≤ τ for a thin SVD. */
    public static void assertDecomposition(String what, SingularDecomposition d, Dense w) {
        int m = w.rows;
        int n = w.cols;
        int r = Math.min(m, n);
        assertTrue(d.hasVectors(), what + ": vectors were asked for");
        assertEquals(m, d.rows(), what + ": rows");
        assertEquals(n, d.cols(), what + ": cols");
        assertEquals(m * r, d.u().length, what + ": U is m×r");
        assertEquals(r * n, d.vt().length, what + ": Vᵀ is r×n");
        double tau = Tolerances.singularValues(r);
        Dense u = Dense.of(d.u(), 0, m, r);
        Dense vt = Dense.of(d.vt(), 0, r, n);
        Dense us = u.times(Dense.diagonal(d.values()));
        Dense recon = us.times(vt);
        double err = recon.plus(-1, w).frobenius();
        double norm = w.frobenius();
        if (!(err <= tau * norm)) {
            fail(String.format(
                    "%s: ‖UΣVᵀ − W‖_F = %.6e exceeds τ‖W‖_F = %.2e·%.6e = %.6e", what, err, tau, norm, tau * norm));
        }
        assertOrthonormalColumns(what + ": U", u, tau);
        assertOrthonormalColumns(what + ": V", vt.transpose(), tau);
    }

    /** ‖QᵀQ − I‖₂ ≤ τ. */
    public static void assertOrthonormalColumns(String what, Dense q, double tau) {
        Dense e = q.transpose().times(q).plus(-1, Dense.identity(q.cols));
        double norm = JacobiSvd.values(e)[0];
        if (!(norm <= tau)) {
            fail(String.format("%s: ‖QᵀQ − I‖₂ = %.6e exceeds τ = %.2e", what, norm, tau));
        }
    }

    /**
     * One power-iteration step as a backend took it, checked against the float64 formula applied to the
     * backend's own vectors, so that rounding does not compound: for j = 1..k, vⱼ(after) =
     * normalize(Aᵀuⱼ(before) deflated against v₁..vⱼ₋₁(after)) and uⱼ(after) = normalize(A vⱼ(after) deflated
     * against u₁..uⱼ₋₁(after)), each within 1e-5·‖x̄‖/max(‖x‖, eps) (the forward-error bound of normalize),
     * a zero product keeping the stored vector exactly. With {@code initialization}, only v moves and u
     * must be exactly as before (SPEC.md "Initial state").
     */
    public static void assertPowerStep(
            String what,
            Float64Reference.Operator a,
            Float64Reference.Vectors before,
            Float64Reference.Vectors after,
            boolean initialization) {
        Float64Reference.Operator abs = a.abs();
        for (int j = 0; j < before.count(); j++) {
            double[] x = Float64Reference.deflate(a.applyTranspose(before.u[j]), after.v, j);
            double[] xbar = Float64Reference.deflateBound(abs.applyTranspose(Dense.abs(before.u[j])), after.v, j);
            assertNormalized(what + ": v" + (j + 1), after.v[j], x, xbar, before.v[j]);
            if (initialization) {
                assertRounded(what + ": u" + (j + 1) + " must not move at initialization", after.u[j], before.u[j]);
            } else {
                double[] y = Float64Reference.deflate(a.apply(after.v[j]), after.u, j);
                double[] ybar = Float64Reference.deflateBound(abs.apply(Dense.abs(after.v[j])), after.u, j);
                assertNormalized(what + ": u" + (j + 1), after.u[j], y, ybar, before.u[j]);
            }
        }
    }

    private static void assertNormalized(String what, double[] actual, double[] x, double[] xbar, double[] kept) {
        double[] expected = Float64Reference.normalize(x, kept);
        boolean zero = true;
        for (double xi : x) {
            zero &= xi == 0;
        }
        if (zero) {
            assertRounded(what + ": the product is zero, so the stored vector must be kept", actual, kept);
            return;
        }
        assertVector(what, actual, expected, Dense.norm2(xbar) / Math.max(Dense.norm2(x), Float64Reference.EPS));
    }

    /**
     * ‖actual − expected‖₂ ≤ 2ε‖expected‖₂: equal up to one float32 rounding of each entry (a vector the
     * host made and the backend only stored).
     */
    public static void assertRounded(String what, double[] actual, double[] expected) {
        assertEquals(expected.length, actual.length, what + ": length");
        double diff = Dense.norm2(Dense.plus(actual, -1, expected));
        double limit = 2 * Tolerances.FLOAT_EPS * Dense.norm2(expected);
        if (!(diff <= limit)) {
            fail(String.format("%s: ‖x − expected‖₂ = %.6e exceeds 2ε‖expected‖₂ = %.3e", what, diff, limit));
        }
    }
}
