package dev.specnorm.cpu;

/**
 * The singular value decomposition of a small matrix (both sides at most {@value #MAX_SIZE}) by one-sided
 * Jacobi rotations (Hestenes, "Inversion of matrices by biorthogonalization and related results", J. SIAM
 * 1958), in float64. With A = W (m ≥ n) or Wᵀ (m &lt; n), p×q with p ≥ q: plane rotations applied to
 * pairs of columns of A make them mutually orthogonal, A V = U Σ with V the product of the rotations;
 * σⱼ = ‖column j‖, uⱼ = column j / σⱼ. A pair (i, j) is rotated while
 * |aᵢᵀaⱼ| &gt; p·2⁻⁵³·‖aᵢ‖‖aⱼ‖, the rotation being the one that zeroes aᵢᵀaⱼ (Rutishauser's formulas);
 * sweeps stop when none is. The criterion is relative, so small singular values come out with high
 * relative accuracy. Columns of U for zero singular values are completed to an orthonormal basis.
 *
 * <p>One instance per participant; its workspaces are sized for the largest case once, so decomposing a
 * matrix allocates nothing but the results.
 */
final class JacobiSvd {

    /** The largest dimension this solver takes. */
    static final int MAX_SIZE = 32;

    private static final int MAX_SWEEPS = 80;

    private final double[] a = new double[MAX_SIZE * MAX_SIZE];
    private final double[] v = new double[MAX_SIZE * MAX_SIZE];
    private final double[] sigma = new double[MAX_SIZE];
    private final int[] order = new int[MAX_SIZE];

    /**
     * Decomposes W = w[off .. off + m·n) (m, n ≤ {@value #MAX_SIZE}). Writes the r = min(m, n) singular
     * values, descending, to values; when u is not null also U (m×r) and Vᵀ (r×n) row-major, in W's
     * orientation.
     */
    void decompose(float[] w, int off, int m, int n, float[] values, float[] u, float[] vt) {
        boolean transposed = m < n;
        int p = transposed ? n : m;
        int q = transposed ? m : n;
        boolean vectors = u != null;
        // column-major A: column j at a[j·p ..]
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = w[off + i * n + j];
                if (transposed) {
                    a[i * p + j] = x;
                } else {
                    a[j * p + i] = x;
                }
            }
        }
        if (vectors) {
            for (int i = 0; i < q * q; i++) {
                v[i] = 0;
            }
            for (int i = 0; i < q; i++) {
                v[i * q + i] = 1;
            }
        }
        rotate(p, q, vectors);
        for (int j = 0; j < q; j++) {
            sigma[j] = Math.sqrt(dot(j, j, p));
            order[j] = j;
        }
        sortDescending(q);
        for (int k = 0; k < q; k++) {
            values[k] = (float) sigma[order[k]];
        }
        if (vectors) {
            orthonormalColumns(p, q);
            // A = Ua Σ Vaᵀ: for W = A, U = Ua and Vᵀ = Vaᵀ; for W = Aᵀ, U = Va and Vᵀ = Uaᵀ
            for (int k = 0; k < q; k++) {
                int c = order[k];
                if (!transposed) {
                    for (int i = 0; i < m; i++) {
                        u[i * q + k] = (float) a[c * p + i];
                    }
                    for (int j = 0; j < n; j++) {
                        vt[k * n + j] = (float) v[c * q + j];
                    }
                } else {
                    for (int i = 0; i < m; i++) {
                        u[i * q + k] = (float) v[c * q + i];
                    }
                    for (int j = 0; j < n; j++) {
                        vt[k * n + j] = (float) a[c * p + j];
                    }
                }
            }
        }
    }

    private void rotate(int p, int q, boolean vectors) {
        double tol = p * 0x1.0p-53;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int i = 0; i < q - 1; i++) {
                for (int j = i + 1; j < q; j++) {
                    double alpha = 0;
                    double beta = 0;
                    double gamma = 0;
                    int ci = i * p;
                    int cj = j * p;
                    for (int k = 0; k < p; k++) {
                        double x = a[ci + k];
                        double y = a[cj + k];
                        alpha += x * x;
                        beta += y * y;
                        gamma += x * y;
                    }
                    if (!(Math.abs(gamma) > tol * Math.sqrt(alpha) * Math.sqrt(beta))) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.abs(zeta) > 1e150
                            ? 0.5 / zeta
                            : Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    rotatePair(a, ci, cj, p, c, s);
                    if (vectors) {
                        rotatePair(v, i * q, j * q, q, c, s);
                    }
                }
            }
            if (!rotated) {
                return;
            }
        }
    }

    private static void rotatePair(double[] x, int ci, int cj, int len, double c, double s) {
        for (int k = 0; k < len; k++) {
            double xi = x[ci + k];
            double xj = x[cj + k];
            x[ci + k] = c * xi - s * xj;
            x[cj + k] = s * xi + c * xj;
        }
    }

    private double dot(int i, int j, int p) {
        double s = 0;
        for (int k = 0; k < p; k++) {
            s += a[i * p + k] * a[j * p + k];
        }
        return s;
    }

    /** Insertion sort of order[0..q) by descending sigma; stable, so ties keep the column order. */
    private void sortDescending(int q) {
        for (int k = 1; k < q; k++) {
            int c = order[k];
            int l = k - 1;
            while (l >= 0 && sigma[order[l]] < sigma[c]) {
                order[l + 1] = order[l];
                l--;
            }
            order[l + 1] = c;
        }
    }

    /**
     * Normalizes the columns of A into Ua; a column whose norm is zero (or subnormal) is replaced, in
     * descending order of σ, by the unit vector eᵢ orthogonalized (twice) against the columns before it
     * that leaves the largest remainder.
     */
    private void orthonormalColumns(int p, int q) {
        for (int k = 0; k < q; k++) {
            int c = order[k];
            double s = sigma[c];
            if (s >= Double.MIN_NORMAL) {
                for (int i = 0; i < p; i++) {
                    a[c * p + i] /= s;
                }
            }
        }
        for (int k = 0; k < q; k++) {
            int c = order[k];
            if (sigma[c] >= Double.MIN_NORMAL) {
                continue;
            }
            int bestE = 0;
            double bestNorm = -1;
            for (int e = 0; e < p; e++) {
                setUnit(c, e, p);
                orthogonalize(c, k, p);
                double norm = Math.sqrt(dot(c, c, p));
                if (norm > bestNorm) {
                    bestNorm = norm;
                    bestE = e;
                }
                if (norm > 0.5) {
                    break;
                }
            }
            setUnit(c, bestE, p);
            orthogonalize(c, k, p);
            orthogonalize(c, k, p);
            double norm = Math.sqrt(dot(c, c, p));
            for (int i = 0; i < p; i++) {
                a[c * p + i] /= norm;
            }
        }
    }

    private void setUnit(int c, int e, int p) {
        for (int i = 0; i < p; i++) {
            a[c * p + i] = i == e ? 1 : 0;
        }
    }

    /** Column c minus its projections on the columns order[0..k) (all unit vectors). */
    private void orthogonalize(int c, int k, int p) {
        for (int l = 0; l < k; l++) {
            int b = order[l];
            double proj = dot(b, c, p);
            for (int i = 0; i < p; i++) {
                a[c * p + i] -= proj * a[b * p + i];
            }
        }
    }
}
