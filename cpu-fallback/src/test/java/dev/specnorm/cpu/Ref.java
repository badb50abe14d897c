package dev.specnorm.cpu;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Float64 references for the CPU kernel tests, written from SPEC.md independently of the code under test:
 * matrices with chosen singular values, dense products, the formulas of every penalty and gradient, and
 * central finite differences.
 */
final class Ref {

    private Ref() {
    }

    /** A random n×n orthogonal matrix (Gram–Schmidt, twice, of a Gaussian matrix). */
    static double[][] orthogonal(int n, Random random) {
        double[][] q = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] c = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = random.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int l = 0; l < j; l++) {
                    double d = 0;
                    for (int i = 0; i < n; i++) {
                        d += q[i][l] * c[i];
                    }
                    for (int i = 0; i < n; i++) {
                        c[i] -= d * q[i][l];
                    }
                }
            }
            double norm = 0;
            for (double x : c) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i][j] = c[i] / norm;
            }
        }
        return q;
    }

    /** U·diag(s)·Vᵀ (m×n, r = s.length ≤ min(m, n) nonzero values) rounded to float32, row-major. */
    static float[] withSpectrum(int m, int n, double[] s, Random random) {
        double[][] u = orthogonal(m, random);
        double[][] v = orthogonal(n, random);
        float[] w = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = 0;
                for (int k = 0; k < s.length; k++) {
                    x += u[i][k] * s[k] * v[j][k];
                }
                w[i * n + j] = (float) x;
            }
        }
        return w;
    }

    /** A Gaussian m×n float matrix scaled by {@code scale}. */
    static float[] gaussian(int m, int n, double scale, Random random) {
        float[] w = new float[m * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (scale * random.nextGaussian());
        }
        return w;
    }

    /** The singular values, descending, of the float matrix w[off ..] (m×n), by EJML's float64 SVD. */
    static double[] singularValues(float[] w, int off, int m, int n) {
        DMatrixRMaj a = matrix(w, off, m, n);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, false, false, true);
        if (!svd.decompose(a)) {
            throw new AssertionError("reference SVD failed");
        }
        double[] s = svd.getSingularValues().clone();
        java.util.Arrays.sort(s);
        double[] out = new double[Math.min(m, n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = s[s.length - 1 - i];
        }
        return out;
    }

    static DMatrixRMaj matrix(float[] w, int off, int m, int n) {
        DMatrixRMaj a = new DMatrixRMaj(m, n);
        for (int i = 0; i < m * n; i++) {
            a.data[i] = w[off + i];
        }
        return a;
    }

    /** w[off ..] as a double m×n array. */
    static double[][] toDouble(float[] w, int off, int m, int n) {
        double[][] a = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = w[off + i * n + j];
            }
        }
        return a;
    }

    static double[][] mul(double[][] a, double[][] b) {
        int m = a.length;
        int k = b.length;
        int n = b[0].length;
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int l = 0; l < k; l++) {
                double x = a[i][l];
                for (int j = 0; j < n; j++) {
                    c[i][j] += x * b[l][j];
                }
            }
        }
        return c;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    static double[][] abs(double[][] a) {
        double[][] b = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                b[i][j] = Math.abs(a[i][j]);
            }
        }
        return b;
    }

    static double[][] identity(int n) {
        double[][] e = new double[n][n];
        for (int i = 0; i < n; i++) {
            e[i][i] = 1;
        }
        return e;
    }

    /** a + s·b. */
    static double[][] add(double[][] a, double s, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] + s * b[i][j];
            }
        }
        return c;
    }

    static double[][] scale(double s, double[][] a) {
        return add(new double[a.length][a[0].length], s, a);
    }

    static double frobeniusSquared(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            for (double x : row) {
                s += x * x;
            }
        }
        return s;
    }

    static double frobenius(double[][] a) {
        return Math.sqrt(frobeniusSquared(a));
    }

    /** ‖g − ref‖_F for g float row-major at off. */
    static double distance(float[] g, int off, double[][] ref) {
        double s = 0;
        int n = ref[0].length;
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < n; j++) {
                double d = g[off + i * n + j] - ref[i][j];
                s += d * d;
            }
        }
        return Math.sqrt(s);
    }

    /** ‖a − b‖_F. */
    static double distance(double[][] a, double[][] b) {
        return frobenius(add(a, -1, b));
    }

    /** A function of a matrix, for finite differences. */
    interface MatrixFunction {
        double apply(double[][] w);
    }

    /** The central finite-difference gradient of f at w with step h·max(1, |w_ij|). */
    static double[][] finiteDifference(MatrixFunction f, double[][] w, double h) {
        int m = w.length;
        int n = w[0].length;
        double[][] g = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = w[i][j];
                double step = h * Math.max(1, Math.abs(x));
                w[i][j] = x + step;
                double plus = f.apply(w);
                w[i][j] = x - step;
                double minus = f.apply(w);
                w[i][j] = x;
                g[i][j] = (plus - minus) / (2 * step);
            }
        }
        return g;
    }

    // ---------------------------------------------------------------- penalties (SPEC.md table)

    /** R/β of a Gram penalty, from A = WWᵀ and C = WᵀW formed in float64. */
    static double penalty(String name, double[][] w) {
        int m = w.length;
        int n = w[0].length;
        double[][] a = mul(w, transpose(w));
        double[][] ai = add(a, -1, identity(m));
        switch (name) {
            case "biggan": {
                double s = 0;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        if (i != j) {
                            s += a[i][j] * a[i][j];
                        }
                    }
                }
                return s;
            }
            case "soft":
                return frobeniusSquared(ai);
            case "double-soft": {
                double[][] c = add(mul(transpose(w), w), -1, identity(n));
                return frobeniusSquared(ai) + frobeniusSquared(c);
            }
            case "l1": {
                double s = 0;
                for (double[] row : ai) {
                    for (double x : row) {
                        s += Math.abs(x);
                    }
                }
                return s;
            }
            default:
                throw new IllegalArgumentException(name);
        }
    }

    /** ∂(R/β)/∂W per the SPEC.md table, in float64. */
    static double[][] penaltyGradient(String name, double[][] w) {
        int m = w.length;
        double[][] a = mul(w, transpose(w));
        double[][] ai = add(a, -1, identity(m));
        switch (name) {
            case "biggan": {
                double[][] off = a;
                for (int i = 0; i < m; i++) {
                    off[i][i] = 0;
                }
                return scale(4, mul(off, w));
            }
            case "soft":
                return scale(4, mul(ai, w));
            case "double-soft":
                return scale(8, add(mul(a, w), -1, w));
            case "l1": {
                double[][] s = new double[m][m];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        s[i][j] = Math.signum(ai[i][j]);
                    }
                }
                return scale(2, mul(s, w));
            }
            default:
                throw new IllegalArgumentException(name);
        }
    }

    /**
     * ḡ of SPEC.md "Accuracy expectations": the gradient formula on |W| with every subtraction made an
     * addition.
     */
    static double[][] penaltyGradientBound(String name, double[][] w) {
        double[][] aw = abs(w);
        int m = w.length;
        double[][] a = mul(aw, transpose(aw));
        switch (name) {
            case "biggan": {
                for (int i = 0; i < m; i++) {
                    a[i][i] = 0;
                }
                return scale(4, mul(a, aw));
            }
            case "soft":
                return scale(4, mul(add(a, 1, identity(m)), aw));
            case "double-soft":
                return scale(8, add(mul(a, aw), 1, aw));
            case "l1": {
                double[][] ones = new double[m][m];
                for (double[] row : ones) {
                    java.util.Arrays.fill(row, 1);
                }
                return scale(2, mul(ones, aw));
            }
            default:
                throw new IllegalArgumentException(name);
        }
    }
}
