package dev.specnorm.djl;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;

/** Float64 references for the tests: matrices with known singular values and exact σ₁ by EJML's SVD. */
final class Reference {

    private Reference() {}

    /** A rows × cols matrix U diag(s) Vᵀ with random orthonormal U, V (seeded). */
    static double[][] withSingularValues(int rows, int cols, long seed, double... s) {
        DMatrixRMaj u = orthonormal(rows, s.length, new Random(seed));
        DMatrixRMaj v = orthonormal(cols, s.length, new Random(seed + 1));
        DMatrixRMaj us = new DMatrixRMaj(rows, s.length);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < s.length; j++) {
                us.set(i, j, u.get(i, j) * s[j]);
            }
        }
        DMatrixRMaj w = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.multTransB(us, v, w);
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = w.get(i, j);
            }
        }
        return out;
    }

    /** σ₁ of a matrix, float64 SVD. */
    static double sigma1(double[][] m) {
        double max = 0;
        for (double s : SingularOps_DDRM.singularValues(new DMatrixRMaj(m))) {
            max = Math.max(max, s);
        }
        return max;
    }

    private static DMatrixRMaj orthonormal(int n, int k, Random random) {
        DMatrixRMaj q = new DMatrixRMaj(n, k);
        for (int j = 0; j < k; j++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) {
                col[i] = random.nextGaussian();
            }
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += col[i] * q.get(i, p);
                }
                for (int i = 0; i < n; i++) {
                    col[i] -= dot * q.get(i, p);
                }
            }
            double norm = 0;
            for (double c : col) {
                norm += c * c;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q.set(i, j, col[i] / norm);
            }
        }
        return q;
    }
}
