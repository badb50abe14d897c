package dev.specnorm.api.spi;

import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.SeededGaussian;

/**
 * σ₁ of one matrix by Golub–Kahan–Lanczos bidiagonalization (Golub &amp; Kahan, "Calculating the singular
 * values and pseudo-inverse of a matrix", J. SIAM Numer. Anal. 1965), in float64 with full
 * reorthogonalization (SPEC.md "Lanczos").
 *
 * <p>From a unit v₁ (the first n values of {@link SeededGaussian#ofMatrix}(seed, firstIndex, matrix index),
 * normalized):
 * α₁u₁ = W v₁, then for k = 1, 2, …: β_k v_{k+1} = Wᵀu_k − α_k v_k and α_{k+1}u_{k+1} = W v_{k+1} − β_k u_k,
 * each new vector orthogonalized twice against all previous ones (modified Gram–Schmidt). Then
 * W V_k = U_k B_k and Wᵀ U_k = V_k B_kᵀ + β_k v_{k+1} e_kᵀ with B_k upper bidiagonal (α on the diagonal,
 * β above). With σ̂₁ the largest singular value of B_k and p₁ its left singular vector, the Ritz pair
 * û = U_k p₁, v̂ = V_k q₁ satisfies W v̂ = σ̂₁ û and ‖Wᵀû − σ̂₁ v̂‖ = β_k |e_kᵀ p₁|, the residual bound,
 * which bounds the distance from σ̂₁ to a singular value of W. Iteration stops when the bound is at most
 * tol·σ̂₁ (converged), at breakdown (β_k = 0, or α_{k+1} ≤ 2⁻⁴⁸‖B_k‖_F: the Krylov space is invariant
 * to working precision, σ̂₁ is taken from [B_k | β_k e_k] and the bound is 0), or after min(maxSteps, n)
 * steps for m ≥ n, min(maxSteps, m + 1) for m &lt; n (U is exhausted after m steps, step m + 1 closes the
 * bidiagonalization).
 *
 * <p>σ̂₁ and p₁ come from the symmetric tridiagonal B_k B_kᵀ: its largest eigenvalue by Sturm-sequence
 * bisection, the eigenvector by inverse iteration with a pivoted tridiagonal LU (as LAPACK's dgttrf), both
 * O(k) per step. A zero matrix has σ = 0 and bound 0.
 */
public final class GolubKahanLanczos {

    /**
     * The matrix as the iteration uses it: products with float64 vectors (accumulated in float64), its rows
     * and its entries' finiteness. Backends implement it over their own storage (host arrays, device memory).
     */
    public interface Operator {

        /** m. */
        int rows();

        /** n. */
        int cols();

        /** out[0..m) = W x with x = x[xo .. xo+n), accumulated in float64. */
        void multiply(double[] x, int xo, double[] out);

        /** out[0..n) = Wᵀ y with y = y[yo .. yo+m), accumulated in float64. */
        void multiplyTransposed(double[] y, int yo, double[] out);

        /** The row of largest Euclidean norm (the first of equal ones), or −1 if W is zero. */
        int largestRow();

        /** out[0..n) = row i of W. */
        void row(int i, double[] out);

        /** Whether every entry of W is finite (asked only when a result is not). */
        boolean isFinite();
    }

    /** α_{k+1} at or below this times ‖B_k‖_F is a breakdown: W v_{k+1} lies in span(u₁..u_k). */
    private static final double BREAKDOWN = 0x1.0p-48;

    private double[] vBasis = new double[0];
    private double[] uBasis = new double[0];
    private double[] r = new double[0];
    private double[] p = new double[0];
    private double[] alpha = new double[0];
    private double[] beta = new double[0];
    private double[] diag = new double[0];
    private double[] off = new double[0];
    private double[] dl = new double[0];
    private double[] dd = new double[0];
    private double[] du = new double[0];
    private double[] du2 = new double[0];
    private double[] x = new double[0];
    private boolean[] swapped = new boolean[0];
    private double lastComponent;

    /** A reusable estimator: its work arrays grow to the largest matrix seen. Not thread-safe. */
    public GolubKahanLanczos() {}

    /**
     * σ̂₁ of W, matrix {@code index} of its call: v₁ is drawn for flattened index options.firstIndex() + index,
     * and errors name the matrix by {@code index}.
     */
    public LanczosEstimate estimate(int index, Operator w, LanczosOptions options) {
        int m = w.rows();
        int n = w.cols();
        // m < n: U is exhausted after m steps, and step m + 1 (its α ≈ 0) closes the bidiagonalization
        int kmax = Math.min(options.maxSteps(), m < n ? m + 1 : n);
        ensure(kmax, m, n);
        SeededGaussian stream = SeededGaussian.ofMatrix(options.seed(), options.firstIndex(), index);
        for (int j = 0; j < n; j++) {
            vBasis[j] = stream.nextGaussian();
        }
        normalize(vBasis, 0, n, norm(vBasis, 0, n));
        w.multiply(vBasis, 0, p);
        double a = norm(p, 0, m);
        check(index, a, w);
        if (a == 0) {
            int row = w.largestRow();
            if (row < 0) {
                return new LanczosEstimate(0f, 0, 1, true);
            }
            w.row(row, vBasis);
            normalize(vBasis, 0, n, norm(vBasis, 0, n));
            w.multiply(vBasis, 0, p);
            a = norm(p, 0, m);
        }
        System.arraycopy(p, 0, uBasis, 0, m);
        normalize(uBasis, 0, m, a);
        alpha[0] = a;
        double frobenius = 0;
        for (int j = 0; ; j++) {
            w.multiplyTransposed(uBasis, j * m, r);
            for (int i = 0; i < n; i++) {
                r[i] -= alpha[j] * vBasis[j * n + i];
            }
            orthogonalize(r, vBasis, j + 1, n);
            double b = norm(r, 0, n);
            check(index, b, w);
            beta[j] = b;
            double sigma = topRitz(j + 1, false);
            double bound = b * lastComponent;
            if (b == 0) {
                return result(index, sigma, 0, j + 1, true, w);
            }
            if (bound <= options.tolerance() * sigma || j + 1 == kmax) {
                return result(index, sigma, bound, j + 1, bound <= options.tolerance() * sigma, w);
            }
            System.arraycopy(r, 0, vBasis, (j + 1) * n, n);
            normalize(vBasis, (j + 1) * n, n, b);
            w.multiply(vBasis, (j + 1) * n, p);
            for (int i = 0; i < m; i++) {
                p[i] -= b * uBasis[j * m + i];
            }
            orthogonalize(p, uBasis, j + 1, m);
            a = norm(p, 0, m);
            check(index, a, w);
            frobenius += alpha[j] * alpha[j] + b * b;
            if (a <= BREAKDOWN * Math.sqrt(frobenius)) {
                return result(index, topRitz(j + 1, true), 0, j + 2, true, w);
            }
            System.arraycopy(p, 0, uBasis, (j + 1) * m, m);
            normalize(uBasis, (j + 1) * m, m, a);
            alpha[j + 1] = a;
        }
    }

    private static LanczosEstimate result(
            int index, double sigma, double bound, int steps, boolean converged, Operator w) {
        float s = (float) sigma;
        if (!Float.isFinite(s)) {
            throw ResultChecks.nonFinite(index, "Lanczos σ̂ = " + sigma, w.isFinite());
        }
        return new LanczosEstimate(s, bound, steps, converged);
    }

    private static void check(int index, double norm, Operator w) {
        if (!Double.isFinite(norm)) {
            throw ResultChecks.nonFinite(index, "Lanczos norm = " + norm, w.isFinite());
        }
    }

    /**
     * The largest singular value of B_k (α₁..α_k on the diagonal, β₁..β_{k−1} above), or with
     * {@code withLastBeta} of [B_k | β_k e_k], and sets {@link #lastComponent} to |e_kᵀ p₁|.
     */
    private double topRitz(int k, boolean withLastBeta) {
        double scale = 0;
        for (int i = 0; i < k; i++) {
            double b = i < k - 1 || withLastBeta ? beta[i] : 0;
            diag[i] = alpha[i] * alpha[i] + b * b;
            if (i < k - 1) {
                off[i] = beta[i] * alpha[i + 1];
            }
            scale = Math.max(scale, diag[i]);
        }
        if (scale == 0) {
            lastComponent = 1;
            return 0;
        }
        for (int i = 0; i < k; i++) {
            diag[i] /= scale;
            if (i < k - 1) {
                off[i] /= scale;
            }
        }
        double lambda = largestEigenvalue(k);
        inverseIteration(k, lambda);
        return Math.sqrt(lambda * scale);
    }

    /** Largest eigenvalue of the symmetric tridiagonal (diag, off), scaled so max diag = 1, by bisection. */
    private double largestEigenvalue(int k) {
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < k; i++) {
            double radius = (i > 0 ? Math.abs(off[i - 1]) : 0) + (i < k - 1 ? Math.abs(off[i]) : 0);
            hi = Math.max(hi, diag[i] + radius);
            lo = Math.max(lo, diag[i]);
        }
        for (int it = 0; it < 200 && hi - lo > 0x1.0p-52 * hi; it++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (countBelow(k, mid) == k) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** Number of eigenvalues below x (Sturm sequence of the LDLᵀ factorization of T − xI). */
    private int countBelow(int k, double x) {
        double pivmin = 0x1.0p-1000;
        int count = 0;
        double d = diag[0] - x;
        for (int i = 0; ; i++) {
            if (Math.abs(d) < pivmin) {
                d = -pivmin;
            }
            if (d < 0) {
                count++;
            }
            if (i == k - 1) {
                return count;
            }
            d = diag[i + 1] - x - off[i] * off[i] / d;
        }
    }

    /** Sets lastComponent = |e_kᵀ x| for the unit eigenvector x of λ, by inverse iteration. */
    private void inverseIteration(int k, double lambda) {
        if (k == 1) {
            lastComponent = 1;
            return;
        }
        factor(k, lambda);
        for (int i = 0; i < k; i++) {
            x[i] = 1;
        }
        double norm = 0;
        for (int it = 0; it < 3; it++) {
            solve(k);
            norm = 0;
            for (int i = 0; i < k; i++) {
                norm = Math.max(norm, Math.abs(x[i]));
            }
            for (int i = 0; i < k; i++) {
                x[i] /= norm;
            }
        }
        double s = 0;
        for (int i = 0; i < k; i++) {
            s += x[i] * x[i];
        }
        lastComponent = Math.abs(x[k - 1]) / Math.sqrt(s);
    }

    /** LU with partial pivoting of T − λI (LAPACK dgttrf); zero pivots become tiny. */
    private void factor(int k, double lambda) {
        for (int i = 0; i < k; i++) {
            dd[i] = diag[i] - lambda;
            if (i < k - 1) {
                dl[i] = off[i];
                du[i] = off[i];
            }
            du2[i] = 0;
            swapped[i] = false;
        }
        for (int i = 0; i < k - 1; i++) {
            if (Math.abs(dd[i]) >= Math.abs(dl[i])) {
                if (dd[i] != 0) {
                    double fact = dl[i] / dd[i];
                    dl[i] = fact;
                    dd[i + 1] -= fact * du[i];
                }
            } else {
                double fact = dd[i] / dl[i];
                dd[i] = dl[i];
                dl[i] = fact;
                double temp = du[i];
                du[i] = dd[i + 1];
                dd[i + 1] = temp - fact * dd[i + 1];
                if (i < k - 2) {
                    du2[i] = du[i + 1];
                    du[i + 1] = -fact * du[i + 1];
                }
                swapped[i] = true;
            }
        }
        double tiny = 0x1.0p-52;
        for (int i = 0; i < k; i++) {
            if (Math.abs(dd[i]) < tiny * 0x1.0p-52) {
                dd[i] = dd[i] < 0 ? -tiny * 0x1.0p-52 : tiny * 0x1.0p-52;
            }
        }
    }

    /** x ← (T − λI)⁻¹ x with the factorization of {@link #factor} (LAPACK dgtts2). */
    private void solve(int k) {
        for (int i = 0; i < k - 1; i++) {
            if (swapped[i]) {
                double temp = x[i] - dl[i] * x[i + 1];
                x[i] = x[i + 1];
                x[i + 1] = temp;
            } else {
                x[i + 1] -= dl[i] * x[i];
            }
        }
        x[k - 1] /= dd[k - 1];
        if (k > 1) {
            x[k - 2] = (x[k - 2] - du[k - 2] * x[k - 1]) / dd[k - 2];
        }
        for (int i = k - 3; i >= 0; i--) {
            x[i] = (x[i] - du[i] * x[i + 1] - du2[i] * x[i + 2]) / dd[i];
        }
    }

    /** x minus its projections on basis rows 0..count (unit vectors of length len), twice. */
    private static void orthogonalize(double[] x, double[] basis, int count, int len) {
        for (int pass = 0; pass < 2; pass++) {
            for (int l = 0; l < count; l++) {
                int o = l * len;
                double c = 0;
                for (int i = 0; i < len; i++) {
                    c += basis[o + i] * x[i];
                }
                for (int i = 0; i < len; i++) {
                    x[i] -= c * basis[o + i];
                }
            }
        }
    }

    private static double norm(double[] x, int off, int len) {
        double scale = 0;
        for (int i = 0; i < len; i++) {
            scale = Math.max(scale, Math.abs(x[off + i]));
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale == 0 ? 0 : Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < len; i++) {
            double y = x[off + i] / scale;
            s += y * y;
        }
        return scale * Math.sqrt(s);
    }

    private static void normalize(double[] x, int off, int len, double norm) {
        for (int i = 0; i < len; i++) {
            x[off + i] /= norm;
        }
    }

    /** The row of largest Euclidean norm of the m×n matrix at w[wo ..] (the first of equal ones), or −1 if it is zero. */
    public static int largestRow(float[] w, int wo, int m, int n) {
        int best = -1;
        double bestNorm = 0;
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                double a = w[wo + i * n + j];
                s += a * a;
            }
            if (s > bestNorm) {
                bestNorm = s;
                best = i;
            }
        }
        return best;
    }

    private void ensure(int kmax, int m, int n) {
        if (vBasis.length < (kmax + 1) * n) {
            vBasis = new double[(kmax + 1) * n];
        }
        if (uBasis.length < (kmax + 1) * m) {
            uBasis = new double[(kmax + 1) * m];
        }
        if (r.length < n) {
            r = new double[n];
        }
        if (p.length < m) {
            p = new double[m];
        }
        if (alpha.length < kmax + 2) {
            int k = kmax + 2;
            alpha = new double[k];
            beta = new double[k];
            diag = new double[k];
            off = new double[k];
            dl = new double[k];
            dd = new double[k];
            du = new double[k];
            du2 = new double[k];
            x = new double[k];
            swapped = new boolean[k];
        }
    }
}
