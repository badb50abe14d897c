package dev.specnorm.cpu;

import static dev.specnorm.api.testing.NumericAssertions.assertAtMostSigma1;
import static dev.specnorm.api.testing.NumericAssertions.assertDecomposition;
import static dev.specnorm.api.testing.NumericAssertions.assertSingularValues;
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
import dev.specnorm.api.testing.Dense;
import dev.specnorm.api.testing.JacobiSvd;
import dev.specnorm.api.testing.KnownSpectrum;
import dev.specnorm.api.testing.TestMatrices;
import dev.specnorm.api.testing.Tolerances;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exact SVD (Jacobi and EJML paths) and Lanczos through the engine. */
class ExactAndLanczosTest {

    private static final SpectralBackend CPU = SpectralBackend.forEngine(new CpuEngine(2));

    @AfterAll
    static void close() {
        CPU.close();
    }

    /**
     * Every path (the small-matrix Jacobi kernel, EJML tall and wide through the transpose, a large matrix)
     * at rank r − 2, σᵢ = 4/(1 + i): values, U Σ Vᵀ = W and orthonormal U, V; values only; spectralNorm(float[]).
     */
    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"3, 3", "32, 20", "20, 32", "33, 40", "90, 35", "35, 90", "400, 360"})
    void svdOfEveryPathInNumpyConvention(int m, int n) {
        int r = Math.min(m, n);
        double[] s = new double[r - 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = 4.0 / (1 + i);
        }
        KnownSpectrum w = KnownSpectrum.of(m, n, 50L * m + n, s);
        String label = m + "×" + n;
        SingularDecomposition d = CPU.svd(List.of(w.batch()), true).get(0);
        assertSingularValues(label, d.values(), w.exact().values, m, n);
        assertDecomposition(label, d, Dense.of(w.batch(), 0));
        SingularDecomposition valuesOnly = CPU.svd(List.of(w.batch()), false).get(0);
        assertNull(valuesOnly.u());
        assertSingularValues(label + " values only", valuesOnly.values(), w.exact().values, m, n);
        assertEquals(valuesOnly.values()[0], CPU.spectralNorm(w.data, m, n));
    }

    @Test
    void spectralNormOfAListAndZeroMatrices() {
        MatrixBatch a = TestMatrices.gaussian(51, 6, 5, 4, 1);
        List<MatrixBatch> list = List.of(a, TestMatrices.zeros(2, 40, 50));
        float[] sigma = CPU.spectralNorm(list);
        assertEquals(8, sigma.length);
        for (int k = 0; k < 6; k++) {
            double expected = exactSigma1(a, k);
            assertEquals(expected, sigma[k], Tolerances.singularValues(5, 4) * expected);
        }
        assertEquals(0f, sigma[6]);
        assertEquals(0f, sigma[7]);
        SingularDecomposition zero = CPU.svd(List.of(MatrixBatch.zeros(BatchShape.matrix(5, 3))), true)
                .get(0);
        assertArrayEquals(new float[3], zero.values());
        Dense u = Dense.of(zero.u(), 0, 5, 3);
        assertTrue(
                u.transpose().times(u).plus(-1, Dense.identity(3)).frobenius() <= 1e-6,
                "U of a zero matrix is orthonormal");
    }

    @Test
    void nonFiniteAndOverflowingInputs() {
        float[] w = new float[3 * 40 * 35];
        w[2 * 1400 + 17] = Float.NaN;
        NonFiniteValueException e =
                assertThrows(NonFiniteValueException.class, () -> CPU.spectralNorm(MatrixBatch.of(w, 3, 40, 35)));
        assertEquals(2, e.matrixIndex());
        float[] small = {1, Float.POSITIVE_INFINITY, 3, 4};
        assertEquals(
                0,
                assertThrows(NonFiniteValueException.class, () -> CPU.spectralNorm(MatrixBatch.of(small, 2, 2)))
                        .matrixIndex());
        float[] big = new float[16];
        Arrays.fill(big, 3e38f);
        assertThrows(FloatOverflowException.class, () -> CPU.spectralNorm(MatrixBatch.of(big, 4, 4)));
        assertThrows(NonFiniteValueException.class, () -> CPU.lanczos(MatrixBatch.of(w, 3, 40, 35)));
    }

    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"1, 1", "1, 8", "8, 1", "30, 20", "20, 30", "200, 150"})
    void lanczosReachesTheToleranceAndItsBound(int m, int n) {
        MatrixBatch w = TestMatrices.gaussian(52L * m + n, m, n);
        LanczosEstimate e = CPU.lanczos(w).get(0);
        double sigma = exactSigma1(w, 0);
        String label = m + "×" + n;
        assertTrue(e.converged(), label);
        assertTrue(e.residualBound() <= 1e-6 * e.sigma(), label);
        assertTrue(e.steps() <= Math.min(m, n) + 1, label);
        // σ̂ is within the residual bound of a singular value; here of σ₁ (to float rounding)
        assertEquals(sigma, e.sigma(), e.residualBound() + 2e-7 * sigma, label);
        assertAtMostSigma1(label, e.sigma(), sigma);
    }

    @Test
    void lanczosStopsAtBreakdownAndAtTheStepLimit() {
        MatrixBatch rank2 = KnownSpectrum.of(50, 40, 53, 3, 2).batch();
        LanczosEstimate e = CPU.lanczos(rank2).get(0);
        assertTrue(e.converged());
        assertTrue(e.steps() <= 3, "steps " + e.steps());
        assertEquals(3, e.sigma(), 1e-5);

        MatrixBatch slow = KnownSpectrum.of(60, 60, 54, spread(60)).batch();
        LanczosEstimate limited =
                CPU.lanczos(List.of(slow), new LanczosOptions(1e-12, 3, 0)).get(0);
        assertEquals(3, limited.steps());
        assertFalse(limited.converged());
        assertTrue(limited.residualBound() > 0);

        LanczosEstimate zero =
                CPU.lanczos(MatrixBatch.zeros(BatchShape.matrix(4, 6))).get(0);
        assertEquals(0f, zero.sigma());
        assertEquals(0, zero.residualBound());
        assertTrue(zero.converged());
    }

    @Test
    void lanczosIsSeededPerMatrix() {
        MatrixBatch one = TestMatrices.gaussian(54, 25, 30);
        MatrixBatch two = MatrixBatch.stack(List.of(one, one));
        List<LanczosEstimate> a = CPU.lanczos(List.of(two), new LanczosOptions(1e-3, 300, 9));
        List<LanczosEstimate> b = CPU.lanczos(List.of(two), new LanczosOptions(1e-3, 300, 9));
        assertEquals(a, b, "same seed, same result");
        assertTrue(a.get(0).residualBound() != a.get(1).residualBound(), "matrix index selects the stream");
    }

    /** σ₁ of matrix k by the float64 reference SVD (the test-jar's, not this package's kernel). */
    private static double exactSigma1(MatrixBatch batch, int k) {
        return JacobiSvd.values(Dense.of(batch, k))[0];
    }

    private static double[] spread(int r) {
        double[] s = new double[r];
        for (int i = 0; i < r; i++) {
            s[i] = 1 - 0.01 * i;
        }
        return s;
    }

    /**
     * A large matrix alone: Lanczos splits its products across the engine's threads (W x by rows, Wᵀy by
     * columns); the estimate is identical, bit for bit, to one thread's, and within its bound of σ₁.
     */
    @Test
    void lanczosOnSplitProductsEqualsOneThread() {
        KnownSpectrum w = KnownSpectrum.geometric(700, 300, 61, 5, 0.9);
        try (SpectralBackend one = SpectralBackend.forEngine(new CpuEngine(1))) {
            LanczosEstimate split =
                    CPU.lanczos(List.of(w.batch()), LanczosOptions.DEFAULT).get(0);
            LanczosEstimate single =
                    one.lanczos(List.of(w.batch()), LanczosOptions.DEFAULT).get(0);
            assertEquals(single, split);
            assertTrue(split.converged());
            double sigma1 = w.exact().values[0];
            assertEquals(sigma1, split.sigma(), Tolerances.singularValues(700, 300) * sigma1 + split.residualBound());
        }
    }
}
