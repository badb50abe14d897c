package dev.specnorm.cpu;

import static dev.specnorm.api.testing.NumericAssertions.assertAtMostSigma1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.StaleStateException;
import dev.specnorm.api.StateLayout;
import dev.specnorm.api.testing.Dense;
import dev.specnorm.api.testing.Float64Reference;
import dev.specnorm.api.testing.KnownSpectrum;
import dev.specnorm.api.testing.TestMatrices;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Power iteration on the CPU (fused passes over several iterations, deflated top-k, SRIP's Gram operator
 * for tall and wide W, threads and row blocks) against {@link Float64Reference} trajectories.
 */
class PowerIterationTest {

    private static final SpectralBackend CPU = SpectralBackend.forEngine(new CpuEngine(2));
    private static final SpectralBackend SEQUENTIAL = SpectralBackend.forEngine(new CpuEngine(1));

    @AfterAll
    static void close() {
        CPU.close();
        SEQUENTIAL.close();
    }

    /** Warm-up 3 and 4 iterations in one call (fused passes) follow the float64 trajectory from the seeded state. */
    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"1, 1", "1, 7", "7, 1", "5, 9", "64, 33", "33, 64", "300, 500"})
    void matchesFloat64ReferenceFromTheSeededState(int m, int n) {
        KnownSpectrum w = spectrum(10, m, n);
        PowerState state = CPU.newPowerState(w.batch(), new PowerOptions(7, 3, 1));
        float[] sigma = CPU.powerIteration(w.batch(), state, 4);
        Float64Reference.Operator op = Float64Reference.matrix(Dense.of(w.batch(), 0));
        Float64Reference.Vectors ref = Float64Reference.iterate(
                op, Float64Reference.initialize(op, Float64Reference.seeded(7, 0, 1, m, n)), 7);
        double expected = Float64Reference.sigma(op, ref)[0];
        String label = m + "×" + n;
        assertEquals(expected, sigma[0], 1e-5 * expected, label + " σ̂");
        assertArrayEquals(ref.u[0], Dense.vector(state.exportU()), 1e-4, label + " u");
        assertArrayEquals(ref.v[0], Dense.vector(state.exportV()), 1e-4, label + " v");
    }

    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"40, 60", "60, 40", "400, 400"})
    void convergesToSigma1FromBelow(int m, int n) {
        KnownSpectrum w = spectrum(11, m, n);
        double sigma1 = w.exact().values[0];
        PowerState state = CPU.newPowerState(w.batch(), PowerOptions.DEFAULT);
        float sigma = CPU.powerIteration(w.batch(), state, 60)[0];
        assertAtMostSigma1(m + "×" + n, sigma, sigma1);
        assertEquals(sigma1, sigma, 1e-6 * sigma1);
    }

    @Test
    void zeroIterationsEvaluatesWithoutChangingState() {
        KnownSpectrum w = spectrum(12, 6, 4);
        PowerState state = CPU.newPowerState(w.batch(), new PowerOptions(0, 2, 1));
        float[] u = state.exportU();
        float[] v = state.exportV();
        float sigma = CPU.powerIteration(w.batch(), state, 0)[0];
        double expected = Dense.dot(Dense.vector(u), Dense.of(w.batch(), 0).times(Dense.vector(v)));
        assertEquals(expected, sigma, 1e-6 * Math.abs(expected));
        assertArrayEquals(u, state.exportU());
        assertArrayEquals(v, state.exportV());
    }

    @Test
    void negatedStateIsStaleAndStaysUnchanged() {
        MatrixBatch batch = TestMatrices.gaussian(13, 3, 5, 4, 1);
        PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
        float[] u = state.exportU();
        for (int i = 5; i < 10; i++) {
            u[i] = -u[i];
        }
        state.importVectors(u, state.exportV());
        StaleStateException e = assertThrows(StaleStateException.class, () -> CPU.powerIteration(batch, state, 0));
        assertEquals(1, e.matrixIndex());
        assertArrayEquals(u, state.exportU());
        assertTrue(CPU.powerIteration(batch, state, 1)[1] > 0, "one iteration repairs it");
    }

    @Test
    void zeroMatrixHasSigmaZeroAndKeepsItsVectors() {
        MatrixBatch zero = MatrixBatch.zeros(new BatchShape(2, 3, 5));
        PowerState state = CPU.newPowerState(zero, PowerOptions.DEFAULT);
        float[] u = state.exportU();
        float[] v = state.exportV();
        assertArrayEquals(new float[] {0, 0}, CPU.powerIteration(zero, state, 3));
        assertArrayEquals(new float[] {0, 0}, CPU.powerIteration(zero, state, 0));
        assertArrayEquals(u, state.exportU());
        assertArrayEquals(v, state.exportV());
        Float64Reference.Vectors seeded = Float64Reference.seeded(0, 1, 1, 3, 5);
        assertArrayEquals(seeded.u[0], Dense.vector(u, 3, 3), 1e-7, "seeded u kept");
        assertArrayEquals(seeded.v[0], Dense.vector(v, 5, 5), 1e-7, "fallback v kept");
    }

    /** Two bad matrices: the first is named, for any number of iterations, and the state stays. */
    @Test
    void nanNamesTheMatrixAndLeavesStateUnchanged() {
        MatrixBatch clean = TestMatrices.gaussian(14, 4, 3, 3, 1);
        PowerState state = CPU.newPowerState(clean, PowerOptions.DEFAULT);
        float[] u = state.exportU();
        MatrixBatch batch =
                TestMatrices.withEntry(TestMatrices.withEntry(clean, 2, 4, Float.NaN), 3, 0, Float.POSITIVE_INFINITY);
        for (int iterations : new int[] {0, 1, 5}) {
            NonFiniteValueException e =
                    assertThrows(NonFiniteValueException.class, () -> CPU.powerIteration(batch, state, iterations));
            assertEquals(2, e.matrixIndex());
            assertArrayEquals(u, state.exportU());
        }
        assertThrows(NonFiniteValueException.class, () -> CPU.newPowerState(batch, new PowerOptions(0, 0, 1)));
    }

    /** Initialization, 2 warm-up and 3 deflated iterations follow the float64 trajectory; 200 converge. */
    @Test
    void topKDeflatesAsSpecified() {
        int m = 20;
        int n = 12;
        int k = 3;
        KnownSpectrum w = KnownSpectrum.of(m, n, 15, 5, 3, 2, 1, 0.5);
        MatrixBatch batch = w.batch();
        PowerState state = CPU.newPowerState(batch, new PowerOptions(3, 2, k));
        float[][] sigma = CPU.topK(List.of(batch), state, 3);
        Float64Reference.Operator op = Float64Reference.matrix(Dense.of(batch, 0));
        Float64Reference.Vectors ref = Float64Reference.iterate(
                op, Float64Reference.initialize(op, Float64Reference.seeded(3, 0, k, m, n)), 5);
        double[] expected = Float64Reference.sigma(op, ref);
        Float64Reference.Vectors got = Float64Reference.unpack(state.layout(), state.exportU(), state.exportV())
                .get(0);
        for (int j = 0; j < k; j++) {
            assertEquals(expected[j], sigma[0][j], 1e-5 * expected[0], "σ̂" + j);
            assertArrayEquals(ref.u[j], got.u[j], 1e-4, "u row " + j);
            assertArrayEquals(ref.v[j], got.v[j], 1e-4, "v row " + j);
        }
        float[][] converged = CPU.topK(List.of(batch), state, 200);
        double[] exact = w.exact().values;
        for (int j = 0; j < k; j++) {
            assertEquals(exact[j], converged[0][j], 1e-5 * exact[0], "σ" + j);
        }
    }

    /** SRIP's G applied as W(Wᵀx) − x or Wᵀ(Wx) − x gives what the formed G = WWᵀ − I or WᵀW − I gives. */
    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"6, 10", "10, 6", "5, 5", "1, 4", "4, 1"})
    void gramOperatorMatchesTheFormedGram(int m, int n) {
        int r = Math.min(m, n);
        MatrixBatch batch = TestMatrices.gaussian(16L * m + n, 1, m, n, 0.5);
        PowerState state = CPU.newSripState(List.of(batch), new PowerOptions(4, 1, 1));
        assertEquals(StateLayout.Operator.GRAM, state.layout().operator());
        float sigma = CPU.srip(List.of(batch), state, 0, 1f, null).perMatrix()[0];
        Float64Reference.Operator g = Float64Reference.matrix(Float64Reference.gramMatrix(Dense.of(batch, 0)));
        Float64Reference.Vectors ref =
                Float64Reference.iterate(g, Float64Reference.initialize(g, Float64Reference.seeded(4, 0, 1, r, r)), 1);
        double expected = Float64Reference.sigma(g, ref)[0];
        assertEquals(expected, sigma, 1e-5 * Math.max(1, Math.abs(expected)), m + "×" + n);
    }

    @Test
    void iterationsInOneCallEqualIterationsInMany() {
        MatrixBatch batch = spectrum(17, 30, 50).batch();
        PowerState once = CPU.newPowerState(batch, new PowerOptions(1, 0, 1));
        PowerState many = CPU.newPowerState(batch, new PowerOptions(1, 0, 1));
        float sigmaOnce = CPU.powerIteration(batch, once, 6)[0];
        float sigmaMany = 0;
        for (int i = 0; i < 6; i++) {
            sigmaMany = CPU.powerIteration(batch, many, 1)[0];
        }
        assertEquals(sigmaMany, sigmaOnce, 1e-6 * sigmaMany);
        assertArrayEquals(Dense.vector(many.exportU()), Dense.vector(once.exportU()), 1e-6, "u");
        assertArrayEquals(Dense.vector(many.exportV()), Dense.vector(once.exportV()), 1e-6, "v");
    }

    @Test
    void parallelBatchEqualsSequentialBitForBit() {
        MatrixBatch batch = TestMatrices.gaussian(18, 500, 7, 5, 1);
        PowerState a = CPU.newPowerState(batch, PowerOptions.DEFAULT);
        PowerState b = SEQUENTIAL.newPowerState(batch, PowerOptions.DEFAULT);
        assertArrayEquals(SEQUENTIAL.powerIteration(batch, b, 3), CPU.powerIteration(batch, a, 3));
        assertArrayEquals(b.exportU(), a.exportU());
        assertArrayEquals(b.exportV(), a.exportV());
    }

    /**
     * A matrix large enough to be cut into row blocks (1100×500: 4 blocks) and processed alone, split across two
     * threads: σ̂, u and v equal one thread's bit for bit, after one step (unfused passes) and after five
     * (fused), and σ̂ stays within the float64 trajectory's tolerance.
     */
    @Test
    void rowBlockSplitEqualsOneThreadBitForBit() {
        MatrixBatch batch = spectrum(19, 1100, 500).batch();
        assertTrue(MatrixPasses.blockCount(1100, 500) > 1, "the matrix is cut into blocks");
        PowerOptions options = new PowerOptions(7, 3, 1);
        PowerState a = CPU.newPowerState(batch, options);
        PowerState b = SEQUENTIAL.newPowerState(batch, options);
        float[] sa = null;
        for (int iterations : new int[] {1, 5}) {
            sa = CPU.powerIteration(batch, a, iterations);
            float[] sb = SEQUENTIAL.powerIteration(batch, b, iterations);
            assertArrayEquals(sb, sa, iterations + " iterations: σ̂");
            assertArrayEquals(b.exportU(), a.exportU(), iterations + " iterations: u");
            assertArrayEquals(b.exportV(), a.exportV(), iterations + " iterations: v");
        }
        Float64Reference.Operator op = Float64Reference.matrix(Dense.of(batch, 0));
        Float64Reference.Vectors ref = Float64Reference.iterate(
                op, Float64Reference.initialize(op, Float64Reference.seeded(7, 0, 1, 1100, 500)), 3 + 1 + 5);
        double expected = Float64Reference.sigma(op, ref)[0];
        assertEquals(expected, sa[0], 1e-5 * expected, "σ̂ against float64");
    }

    /**
     * Weights in direct native-order buffers are streamed from where they lie ({@link MatrixPasses#bindBuffer}),
     * not staged first, and give what the same weights in arrays give, bit for bit: σ̂, u and v after one step
     * (unfused passes) and five more (fused), and for top-2 (deflated), then normalization's σ̂ and Ŵ and its
     * backward pass's ∂L/∂W (one vector), for a tall matrix cut
     * into blocks, a wide one and a batch of small ones (ragged, so that blocks and streamed chunks end off the
     * groups of four rows), on 1, 2 and 3 threads. A buffer in the other byte order is staged, and agrees too.
     */
    @Test
    void directBuffersGiveTheArraysResultsBitForBit() {
        List<MatrixBatch> heap = List.of(
                spectrum(21, 1103, 517).batch(),
                spectrum(22, 301, 4099).batch(),
                TestMatrices.gaussian(23, 3, 37, 29, 1));
        assertTrue(MatrixPasses.blockCount(1103, 517) > 1, "the tall matrix is cut into blocks");
        ByteOrder other = otherByteOrder();
        try (SpectralBackend three = SpectralBackend.forEngine(new CpuEngine(3))) {
            for (SpectralBackend backend : List.of(SEQUENTIAL, CPU, three)) {
                String engine = backend.description();
                for (ByteOrder order : List.of(ByteOrder.nativeOrder(), other)) {
                    List<MatrixBatch> direct = new ArrayList<>();
                    for (MatrixBatch b : heap) {
                        direct.add(TestMatrices.direct(b, order));
                    }
                    String what = engine + ", " + order;
                    for (PowerOptions options : List.of(new PowerOptions(7, 3, 1), new PowerOptions(7, 2, 2))) {
                        assertSameIterations(
                                backend,
                                heap,
                                direct,
                                backend.newPowerState(heap, options),
                                backend.newPowerState(direct, options),
                                what + ", " + options.vectors() + " vector(s)");
                    }
                }
            }
        }
    }

    /**
     * Power iteration, normalization, its backward pass and the spectral regularizer (with G and outputs in
     * arrays) stream a direct native-order W and stage nothing; the same W in the other byte order is staged,
     * which shows the check can see staging.
     */
    @Test
    void powerIterationStagesNoDirectBuffer() {
        CpuEngine engine = new CpuEngine(2);
        try (SpectralBackend backend = SpectralBackend.forEngine(engine)) {
            MatrixBatch w = TestMatrices.direct(spectrum(24, 130, 70).batch(), ByteOrder.nativeOrder());
            try (PowerState state = backend.newPowerState(w, PowerOptions.DEFAULT)) {
                backend.powerIteration(w, state, 3);
                assertEquals(0, engine.staging().kept(), "arrays staged by power iteration");
                backend.normalize(w, state, 1, MatrixBatch.zeros(w.shape()));
                assertEquals(0, engine.staging().kept(), "arrays staged by normalization");
                MatrixBatch g = TestMatrices.gaussian(25, 1, 130, 70, 1);
                backend.normalizeBackward(w, state, g, MatrixBatch.zeros(w.shape()));
                assertEquals(0, engine.staging().kept(), "arrays staged by the backward pass");
                backend.spectralRegularizer(List.of(w), state, 1, 0.5f, List.of(MatrixBatch.zeros(w.shape())));
                assertEquals(0, engine.staging().kept(), "arrays staged by the regularizer");
                backend.powerIteration(TestMatrices.direct(w, otherByteOrder()), state, 1);
                assertTrue(engine.staging().kept() > 0, "a buffer in the other byte order is staged");
            }
        }
    }

    private static void assertSameIterations(
            SpectralBackend backend,
            List<MatrixBatch> heap,
            List<MatrixBatch> direct,
            PowerState fromArrays,
            PowerState fromBuffers,
            String what) {
        try (fromArrays;
                fromBuffers) {
            for (int iterations : new int[] {1, 5}) {
                String label = what + ", " + iterations + " iteration(s)";
                assertArrayEquals(
                        backend.powerIteration(heap, fromArrays, iterations),
                        backend.powerIteration(direct, fromBuffers, iterations),
                        label + ": σ̂");
                assertArrayEquals(fromArrays.exportU(), fromBuffers.exportU(), label + ": u");
                assertArrayEquals(fromArrays.exportV(), fromBuffers.exportV(), label + ": v");
            }
            if (fromArrays.layout().vectors() == 1) {
                List<MatrixBatch> outArrays = zerosLike(heap);
                List<MatrixBatch> outBuffers = zerosLike(heap);
                assertArrayEquals(
                        backend.normalize(heap, fromArrays, 1, outArrays),
                        backend.normalize(direct, fromBuffers, 1, outBuffers),
                        what + ", normalize: σ̂");
                for (int k = 0; k < heap.size(); k++) {
                    assertArrayEquals(
                            outArrays.get(k).toArray(), outBuffers.get(k).toArray(), what + ", normalize: Ŵ " + k);
                }
                List<MatrixBatch> g = new ArrayList<>();
                for (int k = 0; k < heap.size(); k++) {
                    BatchShape s = heap.get(k).shape();
                    g.add(TestMatrices.gaussian(40 + k, s.batch(), s.rows(), s.cols(), 1));
                }
                List<MatrixBatch> backArrays = zerosLike(heap);
                List<MatrixBatch> backBuffers = zerosLike(heap);
                backend.normalizeBackward(heap, fromArrays, g, backArrays);
                backend.normalizeBackward(direct, fromBuffers, g, backBuffers);
                for (int k = 0; k < heap.size(); k++) {
                    assertArrayEquals(
                            backArrays.get(k).toArray(), backBuffers.get(k).toArray(), what + ", backward: ∂L/∂W " + k);
                }
            }
        }
    }

    /** The byte order that is not this platform's. */
    private static ByteOrder otherByteOrder() {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static List<MatrixBatch> zerosLike(List<MatrixBatch> batches) {
        List<MatrixBatch> out = new ArrayList<>();
        for (MatrixBatch b : batches) {
            out.add(MatrixBatch.zeros(b.shape()));
        }
        return out;
    }

    @Test
    void largeAndSmallScalesNeitherOverflowNorUnderflow() {
        MatrixBatch unit = spectrum(20, 9, 13).batch();
        float w0 = unit.toArray()[0];
        float reference = CPU.powerIteration(unit, CPU.newPowerState(unit, PowerOptions.DEFAULT), 5)[0];
        for (float scale : new float[] {1e36f, 1e-9f}) {
            MatrixBatch batch = TestMatrices.scaled(unit, scale);
            PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
            float sigma = CPU.powerIteration(batch, state, 5)[0];
            assertEquals(reference * (double) scale, sigma, 1e-5 * reference * scale, "scale " + scale);
            MatrixBatch out = MatrixBatch.zeros(batch.shape());
            CPU.normalize(batch, state, 1, out);
            assertEquals(w0 / (double) reference, out.array()[0], 1e-4 * Math.abs(w0 / reference));
        }
    }

    /** A gapped spectrum σᵢ = 10·0.7ⁱ. */
    private static KnownSpectrum spectrum(long seed, int m, int n) {
        return KnownSpectrum.geometric(m, n, seed * 1000 + 31L * m + n, 10, 0.7);
    }
}
