package dev.specnorm.api.testing;

import dev.specnorm.api.MatrixBatch;
import java.util.Arrays;
import java.util.Random;

/**
 * Matrices with chosen singular values: W = U·diag(s)·Vᵀ with U (m×r) and V (n×r) random orthonormal
 * columns (Gaussian, then Gram–Schmidt twice, in float64, from a seeded {@link Random}), rounded to
 * float32. Rounding perturbs each σ by at most ‖E‖₂ ≤ ‖E‖_F ≤ 2⁻²⁴‖W‖_F ({@link #roundingBound()});
 * where exactness matters, tests take the reference σ of the rounded matrix from {@link JacobiSvd}
 * ({@link #exact()}), never the prescribed s.
 */
public final class KnownSpectrum {

    /** Rows m. */
    public final int rows;
    /** Columns n. */
    public final int cols;
    /** The prescribed singular values, descending, length min(m, n) (zero-padded). */
    public final double[] prescribed;
    /** The float32 matrix, row-major. */
    public final float[] data;

    private JacobiSvd exact;

    private KnownSpectrum(int rows, int cols, double[] prescribed, float[] data) {
        this.rows = rows;
        this.cols = cols;
        this.prescribed = prescribed;
        this.data = data;
    }

    /**
     * An m×n matrix with singular values {@code s} (any order; sorted descending, padded with zeros to
     * min(m, n)).
     */
    public static KnownSpectrum of(int rows, int cols, long seed, double... s) {
        int r = Math.min(rows, cols);
        if (s.length > r) {
            throw new IllegalArgumentException(s.length + " singular values for a " + rows + "×" + cols + " matrix");
        }
        double[] sigma = Arrays.copyOf(s, r);
        Arrays.sort(sigma);
        for (int i = 0; i < r / 2; i++) {
            double t = sigma[i];
            sigma[i] = sigma[r - 1 - i];
            sigma[r - 1 - i] = t;
        }
        Random random = new Random(seed);
        double[][] u = orthonormalColumns(rows, r, random);
        double[][] v = orthonormalColumns(cols, r, random);
        float[] w = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = 0;
                for (int k = 0; k < r; k++) {
                    x += u[k][i] * sigma[k] * v[k][j];
                }
                w[i * cols + j] = (float) x;
            }
        }
        return new KnownSpectrum(rows, cols, sigma, w);
    }

    /**
     * A matrix whose singular values fall geometrically from {@code top}: sᵢ = top·ratioⁱ, so every
     * consecutive gap is {@code ratio} (the power iteration's ρ = σ₂/σ₁).
     */
    public static KnownSpectrum geometric(int rows, int cols, long seed, double top, double ratio) {
        double[] s = new double[Math.min(rows, cols)];
        for (int i = 0; i < s.length; i++) {
            s[i] = top * Math.pow(ratio, i);
        }
        return of(rows, cols, seed, s);
    }

    /** The float64 SVD of the rounded float32 matrix (computed once). */
    public JacobiSvd exact() {
        if (exact == null) {
            exact = JacobiSvd.of(Dense.of(data, 0, rows, cols));
        }
        return exact;
    }

    /** The bound 2⁻²⁴‖W‖_F on how far rounding to float32 moved any singular value from the prescribed one. */
    public double roundingBound() {
        double f = 0;
        for (double s : prescribed) {
            f += s * s;
        }
        return Tolerances.FLOAT_EPS * Math.sqrt(f);
    }

    /** The matrix as a batch of one, wrapping {@link #data}. */
    public MatrixBatch batch() {
        return MatrixBatch.of(data, rows, cols);
    }

    /** n columns of length m, orthonormal: Gaussian, then modified Gram–Schmidt applied twice. */
    static double[][] orthonormalColumns(int m, int n, Random random) {
        double[][] q = new double[n][m];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                q[j][i] = random.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double d = Dense.dot(q[k], q[j]);
                    for (int i = 0; i < m; i++) {
                        q[j][i] -= d * q[k][i];
                    }
                }
            }
            double norm = Dense.norm2(q[j]);
            for (int i = 0; i < m; i++) {
                q[j][i] /= norm;
            }
        }
        return q;
    }
}
