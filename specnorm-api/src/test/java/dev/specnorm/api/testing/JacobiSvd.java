package dev.specnorm.api.testing;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The reference singular value decomposition: one-sided (Hestenes) Jacobi in float64 on the exact float64
 * value of a float32 matrix. It shares no code with any backend (which use EJML or cuSOLVER) and is
 * accurate to a few float64 ulps relative to σ₁, far below the float32 tolerances it checks. Thin:
 * r = min(m, n) values, descending; U is m×r and V is n×r, with columns of U for zero singular values
 * left zero (the reference never needs them).
 */
public final class JacobiSvd {

    /** Singular values, descending. */
    public final double[] values;
    /** Left singular vectors, m×r (zero columns where σ = 0). */
    public final Dense u;
    /** Right singular vectors, n×r. */
    public final Dense v;

    private JacobiSvd(double[] values, Dense u, Dense v) {
        this.values = values;
        this.u = u;
        this.v = v;
    }

    /** The SVD of {@code w}. */
    public static JacobiSvd of(Dense w) {
        if (w.rows >= w.cols) {
            return tall(w);
        }
        JacobiSvd t = tall(w.transpose());
        return new JacobiSvd(t.values, t.v, t.u);
    }

    /** The singular values of {@code w}, descending. */
    public static double[] values(Dense w) {
        return of(w).values;
    }

    /** Jacobi on the columns of an m×n matrix with m ≥ n. */
    private static JacobiSvd tall(Dense w) {
        int m = w.rows;
        int n = w.cols;
        double[][] col = new double[n][m];
        double[][] vcol = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                col[j][i] = w.a[i * n + j];
            }
            vcol[j][j] = 1;
        }
        // Scale so that the squared norms below neither overflow nor underflow, then undo.
        double scale = w.maxAbs();
        if (scale > 0) {
            for (double[] c : col) {
                for (int i = 0; i < m; i++) {
                    c[i] /= scale;
                }
            }
        }
        double tol = 1e-15;
        double[] norm2 = new double[n];
        for (int sweep = 0; sweep < 80; sweep++) {
            for (int j = 0; j < n; j++) {
                norm2[j] = Dense.dot(col[j], col[j]);
            }
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = norm2[p];
                    double beta = norm2[q];
                    double gamma = Dense.dot(col[p], col[q]);
                    if (gamma == 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.hypot(1, zeta));
                    if (zeta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    rotate(col[p], col[q], c, s);
                    rotate(vcol[p], vcol[q], c, s);
                    norm2[p] = alpha - t * gamma;
                    norm2[q] = beta + t * gamma;
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] sigma = new double[n];
        for (int j = 0; j < n; j++) {
            sigma[j] = Dense.norm2(col[j]);
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> sigma[j]).reversed());
        double[] values = new double[n];
        Dense u = Dense.zeros(m, n);
        Dense v = Dense.zeros(n, n);
        for (int k = 0; k < n; k++) {
            int j = order[k];
            values[k] = sigma[j] * (scale > 0 ? scale : 1);
            for (int i = 0; i < m; i++) {
                u.a[i * n + k] = sigma[j] > 0 ? col[j][i] / sigma[j] : 0;
            }
            for (int i = 0; i < n; i++) {
                v.a[i * n + k] = vcol[j][i];
            }
        }
        return new JacobiSvd(values, u, v);
    }

    /** (x, y) ← (c·x − s·y, s·x + c·y). */
    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double yi = y[i];
            x[i] = c * xi - s * yi;
            y[i] = s * xi + c * yi;
        }
    }

    /** Column {@code k} of V: the k-th right singular vector. */
    public double[] rightVector(int k) {
        double[] x = new double[v.rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = v.a[i * v.cols + k];
        }
        return x;
    }

    /** Column {@code k} of U: the k-th left singular vector. */
    public double[] leftVector(int k) {
        double[] x = new double[u.rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = u.a[i * u.cols + k];
        }
        return x;
    }
}
