package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.testing.Tolerances;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The small-matrix one-sided Jacobi SVD against known spectra and EJML's float64 SVD. */
class JacobiSvdTest {

    private final JacobiSvd jacobi = new JacobiSvd();

    @Test
    void everyShapeUpTo32MatchesKnownSpectrum() {
        Random random = new Random(1);
        int[] sizes = {1, 2, 3, 4, 5, 7, 8, 13, 16, 31, 32};
        for (int m : sizes) {
            for (int n : sizes) {
                int r = Math.min(m, n);
                double[] s = new double[r];
                for (int i = 0; i < r; i++) {
                    s[i] = 3.0 / (1 + i) + 0.01 * random.nextDouble();
                }
                java.util.Arrays.sort(s);
                reverse(s);
                float[] w = Ref.withSpectrum(m, n, s, random);
                checkDecomposition(w, m, n, Ref.singularValues(w, 0, m, n));
                // the float matrix's own spectrum is within rounding of the chosen one
                float[] values = new float[r];
                jacobi.decompose(w, 0, m, n, values, null, null);
                double tau = Tolerances.singularValues(m, n);
                for (int i = 0; i < r; i++) {
                    assertEquals(s[i], values[i], 2 * tau * s[0], m + "×" + n + " σ" + i);
                }
            }
        }
    }

    @Test
    void rankDeficientAndZeroMatrices() {
        Random random = new Random(2);
        int[][] shapes = {{6, 4}, {4, 6}, {32, 32}, {17, 3}, {3, 17}, {1, 9}, {9, 1}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            int r = Math.min(m, n);
            for (int rank = 0; rank <= Math.min(2, r); rank++) {
                double[] s = new double[rank];
                for (int i = 0; i < rank; i++) {
                    s[i] = 2.0 - i;
                }
                float[] w = Ref.withSpectrum(m, n, s, random);
                double[] expected = Ref.singularValues(w, 0, m, n);
                checkDecomposition(w, m, n, expected);
            }
        }
    }

    @Test
    void repeatedAndTinySingularValues() {
        Random random = new Random(3);
        float[] w = Ref.withSpectrum(10, 8, new double[] {1, 1, 1, 1, 1e-3, 1e-3, 1e-6, 1e-9}, random);
        checkDecomposition(w, 10, 8, Ref.singularValues(w, 0, 10, 8));
        float[] scaled = Ref.withSpectrum(5, 5, new double[] {1e-30, 5e-31, 1e-32, 0, 0}, random);
        checkDecomposition(scaled, 5, 5, Ref.singularValues(scaled, 0, 5, 5));
        float[] large = Ref.withSpectrum(5, 7, new double[] {1e30, 3e29, 1e28}, random);
        checkDecomposition(large, 5, 7, Ref.singularValues(large, 0, 5, 7));
    }

    @Test
    void readsAtAnOffsetAndHandlesOneByOne() {
        float[] data = {9, 9, -3, 9};
        float[] values = new float[1];
        float[] u = new float[1];
        float[] vt = new float[1];
        jacobi.decompose(data, 2, 1, 1, values, u, vt);
        assertArrayEquals(new float[] {3}, values);
        assertEquals(-3, u[0] * values[0] * vt[0], 0);
    }

    @Test
    void nanGivesANonFiniteValue() {
        float[] w = {1, 2, Float.NaN, 4};
        float[] values = new float[2];
        jacobi.decompose(w, 0, 2, 2, values, null, null);
        assertTrue(Float.isNaN(values[0]) || Float.isNaN(values[1]));
    }

    /** Values within τσ₁ of the float64 reference; U Σ Vᵀ reconstructs W; U, V orthonormal. */
    private void checkDecomposition(float[] w, int m, int n, double[] expected) {
        int r = Math.min(m, n);
        float[] values = new float[r];
        float[] u = new float[m * r];
        float[] vt = new float[r * n];
        jacobi.decompose(w, 0, m, n, values, u, vt);
        double tau = Tolerances.singularValues(m, n);
        String label = m + "×" + n;
        for (int i = 0; i < r; i++) {
            assertEquals(expected[i], values[i], tau * expected[0] + Double.MIN_VALUE, label + " σ" + i);
            if (i > 0) {
                assertTrue(values[i] <= values[i - 1], label + " descending");
            }
        }
        double[][] du = Ref.toDouble(u, 0, m, r);
        double[][] dvt = Ref.toDouble(vt, 0, r, n);
        double[][] us = new double[m][r];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < r; k++) {
                us[i][k] = du[i][k] * values[k];
            }
        }
        double[][] dw = Ref.toDouble(w, 0, m, n);
        assertTrue(Ref.distance(Ref.mul(us, dvt), dw) <= tau * Ref.frobenius(dw) + 1e-300, label + " reconstruction");
        assertTrue(Ref.distance(Ref.mul(Ref.transpose(du), du), Ref.identity(r)) <= tau, label + " UᵀU = I");
        assertTrue(Ref.distance(Ref.mul(dvt, Ref.transpose(dvt)), Ref.identity(r)) <= tau, label + " VᵀV = I");
    }

    private static void reverse(double[] s) {
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
    }
}
