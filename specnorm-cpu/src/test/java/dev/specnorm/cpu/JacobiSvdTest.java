package dev.specnorm.cpu;

import static dev.specnorm.api.testing.NumericAssertions.assertSingularValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.testing.Dense;
import dev.specnorm.api.testing.KnownSpectrum;
import dev.specnorm.api.testing.Tolerances;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The small-matrix one-sided Jacobi SVD kernel against known spectra and the float64 reference SVD. */
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
                KnownSpectrum w = KnownSpectrum.of(m, n, random.nextLong(), s);
                checkDecomposition(w);
                // the float matrix's own spectrum is within rounding of the chosen one
                float[] values = new float[r];
                jacobi.decompose(w.data, 0, m, n, values, null, null);
                double tau = Tolerances.singularValues(m, n);
                for (int i = 0; i < r; i++) {
                    assertEquals(w.prescribed[i], values[i], 2 * tau * w.prescribed[0], m + "×" + n + " σ" + i);
                }
            }
        }
    }

    @Test
    void rankDeficientAndZeroMatrices() {
        int[][] shapes = {{6, 4}, {4, 6}, {32, 32}, {17, 3}, {3, 17}, {1, 9}, {9, 1}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            for (int rank = 0; rank <= Math.min(2, Math.min(m, n)); rank++) {
                double[] s = new double[rank];
                for (int i = 0; i < rank; i++) {
                    s[i] = 2.0 - i;
                }
                checkDecomposition(KnownSpectrum.of(m, n, 2L * m + n + 1000L * rank, s));
            }
        }
    }

    @Test
    void repeatedAndTinySingularValues() {
        checkDecomposition(KnownSpectrum.of(10, 8, 3, 1, 1, 1, 1, 1e-3, 1e-3, 1e-6, 1e-9));
        checkDecomposition(KnownSpectrum.of(5, 5, 4, 1e-30, 5e-31, 1e-32, 0, 0));
        checkDecomposition(KnownSpectrum.of(5, 7, 5, 1e30, 3e29, 1e28));
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

    /**
     * Values within τσ₁ of the float64 reference SVD and descending; U Σ Vᵀ reconstructs W to τ‖W‖_F; U and
     * V orthonormal to τ in the Frobenius norm.
     */
    private void checkDecomposition(KnownSpectrum w) {
        int m = w.rows;
        int n = w.cols;
        int r = Math.min(m, n);
        float[] values = new float[r];
        float[] u = new float[m * r];
        float[] vt = new float[r * n];
        jacobi.decompose(w.data, 0, m, n, values, u, vt);
        String label = m + "×" + n;
        assertSingularValues(label, values, w.exact().values, m, n);
        double tau = Tolerances.singularValues(m, n);
        Dense du = Dense.of(u, 0, m, r);
        Dense dvt = Dense.of(vt, 0, r, n);
        Dense dw = Dense.of(w.data, 0, m, n);
        Dense reconstruction = du.times(Dense.diagonal(values)).times(dvt);
        assertTrue(reconstruction.plus(-1, dw).frobenius() <= tau * dw.frobenius() + 1e-300, label + " reconstruction");
        assertTrue(du.transpose().times(du).plus(-1, Dense.identity(r)).frobenius() <= tau, label + " UᵀU = I");
        assertTrue(dvt.times(dvt.transpose()).plus(-1, Dense.identity(r)).frobenius() <= tau, label + " VᵀV = I");
    }
}
