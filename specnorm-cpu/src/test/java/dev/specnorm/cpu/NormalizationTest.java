package dev.specnorm.cpu;

import static dev.specnorm.api.testing.NumericAssertions.assertGradient;
import static dev.specnorm.api.testing.NumericAssertions.assertGradientMatchesDifferences;
import static dev.specnorm.api.testing.NumericAssertions.assertNormwise;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.Dense;
import dev.specnorm.api.testing.FiniteDifferences;
import dev.specnorm.api.testing.Float64Reference;
import dev.specnorm.api.testing.TestMatrices;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Spectral normalization forward/backward and the spectral-norm regularizer against float64 formulas. */
class NormalizationTest {

    private static final SpectralBackend CPU = SpectralBackend.forEngine(new CpuEngine(2));

    @AfterAll
    static void close() {
        CPU.close();
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1, 1),
                Arguments.of(1, 9),
                Arguments.of(9, 1),
                Arguments.of(8, 5),
                Arguments.of(5, 8),
                Arguments.of(64, 96),
                Arguments.of(600, 400));
    }

    /** An m×n Gaussian matrix with N(0, 0.3²) entries, a seed per shape. */
    private static MatrixBatch weights(long seed, int m, int n) {
        return TestMatrices.gaussian(seed * 1000 + 31L * m + n, 1, m, n, 0.3);
    }

    /** normalize iterates exactly as powerIteration does (bit for bit) and writes W / σ̂. */
    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("shapes")
    void forwardDividesBySigmaHat(int m, int n) {
        MatrixBatch batch = weights(20, m, n);
        float[] w = batch.toArray();
        PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
        PowerState twin = CPU.importPowerState(
                List.of(batch.shape()), state.layout().operator(), 1, state.exportU(), state.exportV());
        MatrixBatch out = MatrixBatch.zeros(batch.shape());
        float sigma = CPU.normalize(batch, state, 2, out)[0];
        assertEquals(CPU.powerIteration(batch, twin, 2)[0], sigma, "σ̂ as power iteration gives it");
        assertArrayEquals(twin.exportU(), state.exportU());
        for (int i = 0; i < m * n; i++) {
            assertEquals(w[i] / (double) sigma, out.array()[i], 1e-6 * Math.abs(w[i] / (double) sigma), "Ŵ");
        }
    }

    @Test
    void zeroMatrixNormalizesToZero() {
        MatrixBatch zero = MatrixBatch.zeros(new BatchShape(3, 4, 2));
        PowerState state = CPU.newPowerState(zero, PowerOptions.DEFAULT);
        MatrixBatch out = MatrixBatch.zeros(zero.shape());
        assertArrayEquals(new float[3], CPU.normalize(zero, state, 1, out));
        assertArrayEquals(new float[24], out.array());
        MatrixBatch g = TestMatrices.gaussian(1, 3, 4, 2, 1);
        MatrixBatch grad = MatrixBatch.zeros(zero.shape());
        CPU.normalizeBackward(zero, state, g, grad);
        for (int i = 0; i < 24; i++) {
            assertEquals(g.array()[i] / 1e-12f, grad.array()[i], Math.ulp(g.array()[i] / 1e-12f), "G/eps");
        }
    }

    /** (G − ⟨G, Ŵ⟩uvᵀ)/σ̂ with the state's u, v; up to 100 entries also against central differences. */
    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("shapes")
    void backwardMatchesFormulaAndFiniteDifferences(int m, int n) {
        MatrixBatch batch = weights(21, m, n);
        MatrixBatch gOut = TestMatrices.gaussian(22L * m + n, 1, m, n, 1);
        PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
        CPU.normalize(batch, state, 1, MatrixBatch.zeros(batch.shape()));
        MatrixBatch grad = MatrixBatch.zeros(batch.shape());
        CPU.normalizeBackward(batch, state, gOut, grad);

        Dense w = Dense.of(batch, 0);
        Dense g = Dense.of(gOut, 0);
        double[] u = Dense.vector(state.exportU());
        double[] v = Dense.vector(state.exportV());
        Float64Reference.Evaluation ref = Float64Reference.normalizeBackward(w, u, v, g);
        String label = m + "×" + n;
        assertGradient(label, Dense.of(grad, 0), ref);
        if (m * n <= 100) {
            FiniteDifferences.Estimate fd = FiniteDifferences.gradient(
                    x -> Float64Reference.normalizeLoss(x, u, v, g), w, 1e-4, ref.valueBound());
            assertGradientMatchesDifferences(label, Dense.of(grad, 0), fd, ref.gradientBound());
        }
    }

    @Test
    void backwardRejectsNaNInTheOutputGradient() {
        MatrixBatch batch = TestMatrices.gaussian(22, 2, 4, 3, 1);
        MatrixBatch g = TestMatrices.withEntry(TestMatrices.gaussian(23, 2, 4, 3, 1), 1, 5, Float.NaN);
        PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
        NonFiniteValueException e = assertThrows(
                NonFiniteValueException.class,
                () -> CPU.normalizeBackward(batch, state, g, MatrixBatch.zeros(batch.shape())));
        assertEquals(1, e.matrixIndex());
    }

    /** λσ̂² and 2λσ̂·uvᵀ, both relative to the σ̂ the CPU reports. */
    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("shapes")
    void regularizerAndItsGradient(int m, int n) {
        float lambda = 0.25f;
        MatrixBatch batch = weights(23, m, n);
        PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
        MatrixBatch grad = MatrixBatch.zeros(batch.shape());
        PenaltyResult r = CPU.spectralRegularizer(List.of(batch), state, 1, lambda, List.of(grad));
        float sigma = CPU.powerIteration(batch, state, 0)[0];
        assertEquals(lambda * (double) sigma * sigma, r.loss(), 1e-6 * r.loss());
        Dense expected = Dense.outer(Dense.vector(state.exportU()), Dense.vector(state.exportV()))
                .scale(2.0 * lambda * sigma);
        assertNormwise(m + "×" + n + ": 2λσ̂·uvᵀ", Dense.of(grad, 0), expected, expected.abs(), 0);
    }

    @Test
    void regularizerSumsTheBatchInDouble() {
        MatrixBatch batch = TestMatrices.gaussian(24, 5, 3, 4, 1);
        PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
        PenaltyResult r = CPU.spectralRegularizer(List.of(batch), state, 1, 1f, null);
        double sum = 0;
        for (float x : r.perMatrix()) {
            sum += x;
        }
        assertEquals(sum, r.loss(), 1e-6 * sum);
        assertEquals(5, r.perMatrix().length);
    }
}
