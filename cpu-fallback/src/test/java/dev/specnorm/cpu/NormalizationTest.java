package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.Tolerances;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Spectral normalization forward/backward and the spectral-norm regularizer against float64 formulas. */
class NormalizationTest {

    private static final SpectralBackend CPU = SpectralBackend.forEngine(new CpuEngine(2));

    @AfterAll
    static void close() {
        CPU.close();
    }

    private static final int[][] SHAPES = {{1, 1}, {1, 9}, {9, 1}, {8, 5}, {5, 8}, {64, 96}, {600, 400}};

    @Test
    void forwardDividesBySigmaHat() {
        Random random = new Random(20);
        for (int[] shape : SHAPES) {
            int m = shape[0];
            int n = shape[1];
            float[] w = Ref.gaussian(m, n, 0.3, random);
            MatrixBatch batch = MatrixBatch.of(w, m, n);
            PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
            PowerState twin = CPU.importPowerState(List.of(batch.shape()), state.layout().operator(), 1,
                    state.exportU(), state.exportV());
            MatrixBatch out = MatrixBatch.zeros(batch.shape());
            float sigma = CPU.normalize(batch, state, 2, out)[0];
            assertEquals(CPU.powerIteration(batch, twin, 2)[0], sigma, "σ̂ as power iteration gives it");
            assertArrayEquals(twin.exportU(), state.exportU());
            for (int i = 0; i < m * n; i++) {
                assertEquals(w[i] / (double) sigma, out.array()[i], 1e-6 * Math.abs(w[i] / (double) sigma), "Ŵ");
            }
        }
    }

    @Test
    void zeroMatrixNormalizesToZero() {
        MatrixBatch zero = MatrixBatch.zeros(new BatchShape(3, 4, 2));
        PowerState state = CPU.newPowerState(zero, PowerOptions.DEFAULT);
        MatrixBatch out = MatrixBatch.zeros(zero.shape());
        assertArrayEquals(new float[3], CPU.normalize(zero, state, 1, out));
        assertArrayEquals(new float[24], out.array());
        MatrixBatch g = MatrixBatch.of(Ref.gaussian(24, 1, 1, new Random(1)), 3, 4, 2);
        MatrixBatch grad = MatrixBatch.zeros(zero.shape());
        CPU.normalizeBackward(zero, state, g, grad);
        for (int i = 0; i < 24; i++) {
            assertEquals(g.array()[i] / 1e-12f, grad.array()[i], Math.ulp(g.array()[i] / 1e-12f), "G/eps");
        }
    }

    @Test
    void backwardMatchesFormulaAndFiniteDifferences() {
        Random random = new Random(21);
        for (int[] shape : SHAPES) {
            int m = shape[0];
            int n = shape[1];
            float[] w = Ref.gaussian(m, n, 0.3, random);
            float[] gOut = Ref.gaussian(m, n, 1, random);
            MatrixBatch batch = MatrixBatch.of(w, m, n);
            PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
            CPU.normalize(batch, state, 1, MatrixBatch.zeros(batch.shape()));
            MatrixBatch grad = MatrixBatch.zeros(batch.shape());
            CPU.normalizeBackward(batch, state, MatrixBatch.of(gOut, m, n), grad);

            double[][] dw = Ref.toDouble(w, 0, m, n);
            double[][] g = Ref.toDouble(gOut, 0, m, n);
            double[] u = PowerIterationTest.toDouble(state.exportU());
            double[] v = PowerIterationTest.toDouble(state.exportV());
            double[][] expected = backward(dw, g, u, v, false);
            double[][] bound = backward(dw, g, u, v, true);
            String label = m + "×" + n;
            assertTrue(Ref.distance(grad.array(), 0, expected) <= Tolerances.GRADIENT * Ref.frobenius(bound), label);
            if (m * n <= 100) {
                Ref.MatrixFunction loss = x -> {
                    double s = PowerIterationTest.bilinear(x, u, v);
                    double l = 0;
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            l += g[i][j] * x[i][j] / s;
                        }
                    }
                    return l;
                };
                double[][] fd = Ref.finiteDifference(loss, dw, 1e-6);
                assertTrue(Ref.distance(fd, expected) <= 1e-6 * Ref.frobenius(bound), label + " finite differences");
            }
        }
    }

    @Test
    void backwardRejectsNaNInTheOutputGradient() {
        Random random = new Random(22);
        float[] w = Ref.gaussian(2 * 4 * 3, 1, 1, random);
        float[] g = Ref.gaussian(2 * 4 * 3, 1, 1, random);
        g[12 + 5] = Float.NaN;
        MatrixBatch batch = MatrixBatch.of(w, 2, 4, 3);
        PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
        NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () ->
                CPU.normalizeBackward(batch, state, MatrixBatch.of(g, 2, 4, 3), MatrixBatch.zeros(batch.shape())));
        assertEquals(1, e.matrixIndex());
    }

    @Test
    void regularizerAndItsGradient() {
        Random random = new Random(23);
        float lambda = 0.25f;
        for (int[] shape : SHAPES) {
            int m = shape[0];
            int n = shape[1];
            float[] w = Ref.gaussian(m, n, 0.3, random);
            MatrixBatch batch = MatrixBatch.of(w, m, n);
            PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
            MatrixBatch grad = MatrixBatch.zeros(batch.shape());
            PenaltyResult r = CPU.spectralRegularizer(List.of(batch), state, 1, lambda, List.of(grad));
            float sigma = CPU.powerIteration(batch, state, 0)[0];
            assertEquals(lambda * (double) sigma * sigma, r.loss(), 1e-6 * r.loss());
            float[] u = state.exportU();
            float[] v = state.exportV();
            double[][] expected = new double[m][n];
            double[][] bound = new double[m][n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    expected[i][j] = 2.0 * lambda * sigma * u[i] * v[j];
                    bound[i][j] = Math.abs(expected[i][j]);
                }
            }
            assertTrue(Ref.distance(grad.array(), 0, expected) <= Tolerances.GRADIENT * Ref.frobenius(bound));
        }
    }

    @Test
    void regularizerSumsTheBatchInDouble() {
        Random random = new Random(24);
        float[] w = Ref.gaussian(5 * 3 * 4, 1, 1, random);
        MatrixBatch batch = MatrixBatch.of(w, 5, 3, 4);
        PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
        PenaltyResult r = CPU.spectralRegularizer(List.of(batch), state, 1, 1f, null);
        double sum = 0;
        for (float x : r.perMatrix()) {
            sum += x;
        }
        assertEquals(sum, r.loss(), 1e-6 * sum);
        assertEquals(5, r.perMatrix().length);
    }

    /** (G − ⟨G, Ŵ⟩uvᵀ)/σ̂ with σ̂ = uᵀWv, or with |·| and + for the error bound ḡ. */
    private static double[][] backward(double[][] w, double[][] g, double[] u, double[] v, boolean bound) {
        int m = w.length;
        int n = w[0].length;
        double sigma = PowerIterationTest.bilinear(w, u, v);
        double inner = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                inner += g[i][j] * w[i][j] / sigma;
            }
        }
        double[][] out = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[i][j] = bound
                        ? (Math.abs(g[i][j]) + Math.abs(inner) * Math.abs(u[i]) * Math.abs(v[j])) / sigma
                        : (g[i][j] - inner * u[i] * v[j]) / sigma;
            }
        }
        return out;
    }
}
