package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.FloatOverflowException;
import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.Tolerances;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Exact SVD (Jacobi and EJML paths) and Lanczos through the engine. */
class ExactAndLanczosTest {

    private static final SpectralBackend CPU = SpectralBackend.forEngine(new CpuEngine(2));

    @AfterAll
    static void close() {
        CPU.close();
    }

    @Test
    void svdOfEveryPathInNumpyConvention() {
        Random random = new Random(50);
        for (int[] shape : new int[][] {{3, 3}, {32, 20}, {20, 32}, {33, 40}, {90, 35}, {35, 90}, {400, 360}}) {
            int m = shape[0];
            int n = shape[1];
            int r = Math.min(m, n);
            double[] s = new double[r - 2];
            for (int i = 0; i < s.length; i++) {
                s[i] = 4.0 / (1 + i);
            }
            float[] w = Ref.withSpectrum(m, n, s, random);
            SingularDecomposition d = CPU.svd(List.of(MatrixBatch.of(w, m, n)), true).get(0);
            double[] expected = Ref.singularValues(w, 0, m, n);
            double tau = Tolerances.singularValues(m, n);
            String label = m + "×" + n;
            assertEquals(m, d.rows());
            assertEquals(n, d.cols());
            for (int i = 0; i < r; i++) {
                assertEquals(expected[i], d.values()[i], tau * expected[0], label + " σ" + i);
            }
            double[][] u = Ref.toDouble(d.u(), 0, m, r);
            double[][] vt = Ref.toDouble(d.vt(), 0, r, n);
            double[][] us = new double[m][r];
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < r; k++) {
                    us[i][k] = u[i][k] * d.values()[k];
                }
            }
            double[][] dw = Ref.toDouble(w, 0, m, n);
            assertTrue(Ref.distance(Ref.mul(us, vt), dw) <= tau * Ref.frobenius(dw), label + " UΣVᵀ = W");
            assertTrue(spectralNorm(Ref.add(Ref.mul(Ref.transpose(u), u), -1, Ref.identity(r))) <= tau, label + " UᵀU");
            assertTrue(spectralNorm(Ref.add(Ref.mul(vt, Ref.transpose(vt)), -1, Ref.identity(r))) <= tau, label + " VᵀV");
            float[] values = CPU.svd(List.of(MatrixBatch.of(w, m, n)), false).get(0).values();
            assertNull(CPU.svd(List.of(MatrixBatch.of(w, m, n)), false).get(0).u());
            for (int i = 0; i < r; i++) {
                assertEquals(expected[i], values[i], tau * expected[0], label + " values only σ" + i);
            }
            assertEquals(values[0], CPU.spectralNorm(w, m, n));
        }
    }

    @Test
    void spectralNormOfAListAndZeroMatrices() {
        Random random = new Random(51);
        float[] a = Ref.gaussian(6 * 5 * 4, 1, 1, random);
        float[] b = new float[2 * 40 * 50];
        List<MatrixBatch> list = List.of(MatrixBatch.of(a, 6, 5, 4), MatrixBatch.of(b, 2, 40, 50));
        float[] sigma = CPU.spectralNorm(list);
        assertEquals(8, sigma.length);
        for (int k = 0; k < 6; k++) {
            double expected = Ref.singularValues(a, k * 20, 5, 4)[0];
            assertEquals(expected, sigma[k], Tolerances.singularValues(5, 4) * expected);
        }
        assertEquals(0f, sigma[6]);
        assertEquals(0f, sigma[7]);
        SingularDecomposition zero = CPU.svd(List.of(MatrixBatch.zeros(BatchShape.matrix(5, 3))), true).get(0);
        assertArrayEquals(new float[3], zero.values());
        double[][] u = Ref.toDouble(zero.u(), 0, 5, 3);
        assertTrue(Ref.distance(Ref.mul(Ref.transpose(u), u), Ref.identity(3)) <= 1e-6, "U of a zero matrix is orthonormal");
    }

    @Test
    void nonFiniteAndOverflowingInputs() {
        float[] w = new float[3 * 40 * 35];
        w[2 * 1400 + 17] = Float.NaN;
        NonFiniteValueException e = assertThrows(NonFiniteValueException.class,
                () -> CPU.spectralNorm(MatrixBatch.of(w, 3, 40, 35)));
        assertEquals(2, e.matrixIndex());
        float[] small = {1, Float.POSITIVE_INFINITY, 3, 4};
        assertEquals(0, assertThrows(NonFiniteValueException.class,
                () -> CPU.spectralNorm(MatrixBatch.of(small, 2, 2))).matrixIndex());
        float[] big = new float[16];
        java.util.Arrays.fill(big, 3e38f);
        assertThrows(FloatOverflowException.class, () -> CPU.spectralNorm(MatrixBatch.of(big, 4, 4)));
        assertThrows(NonFiniteValueException.class, () -> CPU.lanczos(MatrixBatch.of(w, 3, 40, 35)));
    }

    @Test
    void lanczosReachesTheToleranceAndItsBound() {
        Random random = new Random(52);
        for (int[] shape : new int[][] {{1, 1}, {1, 8}, {8, 1}, {30, 20}, {20, 30}, {200, 150}}) {
            int m = shape[0];
            int n = shape[1];
            float[] w = Ref.gaussian(m, n, 1, random);
            LanczosEstimate e = CPU.lanczos(MatrixBatch.of(w, m, n)).get(0);
            double sigma = Ref.singularValues(w, 0, m, n)[0];
            String label = m + "×" + n;
            assertTrue(e.converged(), label);
            assertTrue(e.residualBound() <= 1e-6 * e.sigma(), label);
            assertTrue(e.steps() <= Math.min(m, n) + 1, label);
            // σ̂ is within the residual bound of a singular value; here of σ₁ (to float rounding)
            assertEquals(sigma, e.sigma(), e.residualBound() + 2e-7 * sigma, label);
            assertTrue(e.sigma() <= sigma * (1 + 1e-6), label);
        }
    }

    @Test
    void lanczosStopsAtBreakdownAndAtTheStepLimit() {
        Random random = new Random(53);
        float[] rank2 = Ref.withSpectrum(50, 40, new double[] {3, 2}, random);
        LanczosEstimate e = CPU.lanczos(MatrixBatch.of(rank2, 50, 40)).get(0);
        assertTrue(e.converged());
        assertTrue(e.steps() <= 3, "steps " + e.steps());
        assertEquals(3, e.sigma(), 1e-5);

        float[] slow = Ref.withSpectrum(60, 60, spread(60), random);
        LanczosEstimate limited = CPU.lanczos(List.of(MatrixBatch.of(slow, 60, 60)), new LanczosOptions(1e-12, 3, 0)).get(0);
        assertEquals(3, limited.steps());
        assertFalse(limited.converged());
        assertTrue(limited.residualBound() > 0);

        LanczosEstimate zero = CPU.lanczos(MatrixBatch.zeros(BatchShape.matrix(4, 6))).get(0);
        assertEquals(0f, zero.sigma());
        assertEquals(0, zero.residualBound());
        assertTrue(zero.converged());
    }

    @Test
    void lanczosIsSeededPerMatrix() {
        Random random = new Random(54);
        float[] one = Ref.gaussian(25 * 30, 1, 1, random);
        float[] two = new float[2 * 750];
        System.arraycopy(one, 0, two, 0, 750);
        System.arraycopy(one, 0, two, 750, 750);
        List<LanczosEstimate> a = CPU.lanczos(List.of(MatrixBatch.of(two, 2, 25, 30)), new LanczosOptions(1e-3, 300, 9));
        List<LanczosEstimate> b = CPU.lanczos(List.of(MatrixBatch.of(two, 2, 25, 30)), new LanczosOptions(1e-3, 300, 9));
        assertEquals(a, b, "same seed, same result");
        assertTrue(a.get(0).residualBound() != a.get(1).residualBound(), "matrix index selects the stream");
    }

    private static double[] spread(int r) {
        double[] s = new double[r];
        for (int i = 0; i < r; i++) {
            s[i] = 1 - 0.01 * i;
        }
        return s;
    }

    private static double spectralNorm(double[][] a) {
        return Ref.singularValues(toFloat(a), 0, a.length, a[0].length)[0];
    }

    private static float[] toFloat(double[][] a) {
        float[] f = new float[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                f[i * a[0].length + j] = (float) a[i][j];
            }
        }
        return f;
    }
}
