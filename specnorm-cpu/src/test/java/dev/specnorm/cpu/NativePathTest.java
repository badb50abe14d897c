package dev.specnorm.cpu;

import static dev.specnorm.api.testing.NumericAssertions.assertDecomposition;
import static dev.specnorm.api.testing.NumericAssertions.assertGradient;
import static dev.specnorm.api.testing.NumericAssertions.assertSingularValues;
import static dev.specnorm.api.testing.NumericAssertions.assertValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.specnorm.api.Backends;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.Dense;
import dev.specnorm.api.testing.Float64Reference;
import dev.specnorm.api.testing.JacobiSvd;
import dev.specnorm.api.testing.KnownSpectrum;
import dev.specnorm.api.testing.TestMatrices;
import dev.specnorm.api.testing.Tolerances;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The accelerated path ({@link NativeBlas}): the probe and the property, and the native kernels against
 * known singular values, float64 references and the pure-Java path. Surefire runs this class twice: with
 * the native path (where the probe succeeds) and with {@code -Dspecnorm.cpu.native=false}.
 */
class NativePathTest {

    private static final SpectralBackend NATIVE = SpectralBackend.forEngine(new CpuEngine(2, true));
    private static final SpectralBackend NATIVE_ONE_THREAD = SpectralBackend.forEngine(new CpuEngine(1, true));
    private static final SpectralBackend NATIVE_THREE_THREADS = SpectralBackend.forEngine(new CpuEngine(3, true));
    private static final SpectralBackend PURE = SpectralBackend.forEngine(new CpuEngine(2, false));
    private static final float BETA = 1e-4f;

    @AfterAll
    static void close() {
        NATIVE.close();
        NATIVE_ONE_THREAD.close();
        NATIVE_THREE_THREADS.close();
        PURE.close();
    }

    private static boolean linuxX86() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    @Test
    void probeFollowsThePropertyAndExplainsItself() {
        String description = Backends.list().stream()
                .filter(b -> b.name().equals("cpu"))
                .findFirst()
                .orElseThrow()
                .availability()
                .reason();
        if (NativeBlas.disabledByProperty()) {
            assertFalse(NativeBlas.available());
            assertEquals("disabled by -Dspecnorm.cpu.native=false", NativeBlas.reason());
            assertEquals("pure Java (disabled by -Dspecnorm.cpu.native=false)", CpuEngine.path());
            assertTrue(
                    description.startsWith("pure Java") && description.contains("native path off: disabled by"),
                    description);
            assertFalse(new CpuEngine(1, true).accelerated(), "the property wins over the constructor");
        } else if (linuxX86()) {
            assertTrue(NativeBlas.available(), "the native path must load on linux-x86_64: " + NativeBlas.reason());
            assertNull(NativeBlas.reason());
            assertTrue(NativeBlas.version().startsWith("OpenBLAS 0.3."), NativeBlas.version());
            assertEquals("native " + NativeBlas.version(), CpuEngine.path());
            assertTrue(description.startsWith("native OpenBLAS"), description);
            assertTrue(new CpuEngine(1, true).accelerated());
        } else {
            assertTrue(NativeBlas.available() || NativeBlas.reason().length() > 0);
        }
        assertFalse(new CpuEngine(1, false).accelerated(), "an engine asked for pure Java never uses the natives");
        String reason = NativeBlas.reason();
        assertTrue(reason == null || !reason.contains("\n"), "one line: " + reason);
    }

    /** Exact SVD through sgesdd: known singular values, a thin SVD within τ, and the pure-Java path agrees. */
    @Test
    void singularValuesAndVectorsAgainstKnownSpectra() {
        assumeTrue(NativeBlas.available(), "native path off: " + NativeBlas.reason());
        int[][] shapes = {{9, 9}, {33, 17}, {17, 40}, {100, 64}, {64, 300}, {320, 256}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            String what = m + "×" + n;
            KnownSpectrum w = KnownSpectrum.geometric(m, n, 31L * m + n, 7, 0.93);
            double[] exact = w.exact().values;
            SingularDecomposition values = NATIVE.svd(List.of(w.batch()), false).get(0);
            SingularDecomposition full = NATIVE.svd(List.of(w.batch()), true).get(0);
            SingularDecomposition pure = PURE.svd(List.of(w.batch()), false).get(0);
            assertSingularValues(what + " native values", values.values(), exact, m, n);
            assertSingularValues(what + " native with vectors", full.values(), exact, m, n);
            assertSingularValues(what + " pure Java", pure.values(), exact, m, n);
            assertDecomposition(what + " native", full, Dense.of(w.data, 0, m, n));
            double tau = Tolerances.singularValues(m, n);
            for (int i = 0; i < values.values().length; i++) {
                assertEquals(pure.values()[i], values.values()[i], 2 * tau * exact[0], what + ": σ" + (i + 1));
            }
        }
    }

    /** Rank-deficient and zero matrices: zeros where they belong, orthonormal vectors all the same. */
    @Test
    void rankDeficientAndZeroMatrices() {
        assumeTrue(NativeBlas.available(), "native path off: " + NativeBlas.reason());
        KnownSpectrum low = KnownSpectrum.of(40, 24, 5, 3, 2, 1);
        SingularDecomposition d = NATIVE.svd(List.of(low.batch()), true).get(0);
        assertSingularValues("rank 3", d.values(), low.exact().values, 40, 24);
        assertDecomposition("rank 3", d, Dense.of(low.data, 0, 40, 24));
        MatrixBatch zero = MatrixBatch.zeros(BatchShape.matrix(20, 12));
        SingularDecomposition z = NATIVE.svd(List.of(zero), true).get(0);
        assertArrayEquals(new float[12], z.values());
        assertDecomposition("zero", z, Dense.of(zero.toArray(), 0, 20, 12));
    }

    /** A batch of 32×32 matrices: each matches the float64 SVD, and thread count does not change a bit. */
    @Test
    void batchedValuesMatchReferenceAndDoNotDependOnThreads() {
        assumeTrue(NativeBlas.available(), "native path off: " + NativeBlas.reason());
        MatrixBatch batch = TestMatrices.gaussian(77, 48, 32, 32, 1);
        float[][] two = NATIVE.singularValues(batch);
        float[][] one = NATIVE_ONE_THREAD.singularValues(batch);
        float[][] pure = PURE.singularValues(batch);
        for (int k = 0; k < 48; k++) {
            double[] exact = JacobiSvd.values(Dense.of(batch, k));
            assertSingularValues("matrix " + k, two[k], exact, 32, 32);
            assertSingularValues("matrix " + k + " pure Java", pure[k], exact, 32, 32);
            assertArrayEquals(one[k], two[k], "matrix " + k + ": 1 thread versus 2");
        }
    }

    /**
     * The Gram penalties through the chunked ssyrk and blocked sgemm, on matrices processed alone (split
     * across threads; 96×2100 into two Gram chunks, 64×4200 into four and four gradient blocks, 2060×40
     * through WᵀW into two chunks and two row blocks, all ragged) and in a batch: value and gradient
     * against the float64 formula, 1 thread versus 2 and 3 bit for bit, and the pure-Java path within the
     * same tolerance.
     */
    @Test
    void gramPenaltiesAgainstFloat64AndAcrossThreadCounts() {
        assumeTrue(NativeBlas.available(), "native path off: " + NativeBlas.reason());
        List<MatrixBatch> inputs = List.of(
                TestMatrices.gaussian(91, 1, 300, 700, 0.05),
                TestMatrices.gaussian(92, 1, 520, 200, 0.05),
                TestMatrices.gaussian(94, 1, 1700, 250, 0.03),
                TestMatrices.gaussian(95, 1, 250, 1700, 0.03),
                TestMatrices.gaussian(100, 1, 96, 2100, 0.03),
                TestMatrices.gaussian(101, 1, 64, 4200, 0.02),
                TestMatrices.gaussian(102, 1, 2060, 40, 0.03),
                TestMatrices.gaussian(93, 3, 140, 60, 0.1));
        for (MatrixBatch w : inputs) {
            for (Penalty p : List.of(Penalty.BIGGAN, Penalty.SOFT, Penalty.DOUBLE_SOFT, Penalty.L1)) {
                String what = p + " " + w.shape();
                MatrixBatch g2 = MatrixBatch.zeros(w.shape());
                MatrixBatch g1 = MatrixBatch.zeros(w.shape());
                MatrixBatch g3 = MatrixBatch.zeros(w.shape());
                MatrixBatch gp = MatrixBatch.zeros(w.shape());
                PenaltyResult r2 = NATIVE.orthogonalPenalty(w, p, BETA, g2);
                PenaltyResult r1 = NATIVE_ONE_THREAD.orthogonalPenalty(w, p, BETA, g1);
                PenaltyResult r3 = NATIVE_THREE_THREADS.orthogonalPenalty(w, p, BETA, g3);
                PenaltyResult rp = PURE.orthogonalPenalty(w, p, BETA, gp);
                assertArrayEquals(r1.perMatrix(), r2.perMatrix(), what + ": loss, 1 thread versus 2");
                assertArrayEquals(g1.toArray(), g2.toArray(), what + ": gradient, 1 thread versus 2");
                assertArrayEquals(r1.perMatrix(), r3.perMatrix(), what + ": loss, 1 thread versus 3");
                assertArrayEquals(g1.toArray(), g3.toArray(), what + ": gradient, 1 thread versus 3");
                for (int k = 0; k < w.shape().batch(); k++) {
                    Dense wk = Dense.of(w, k);
                    Float64Reference.Evaluation ref = Float64Reference.penalty(p, wk, BETA);
                    assertValue(what + " loss " + k, r2.perMatrix()[k], ref.value(), ref.valueBound());
                    assertValue(what + " pure loss " + k, rp.perMatrix()[k], ref.value(), ref.valueBound());
                    if (p != Penalty.L1) {
                        assertGradient(what + " gradient " + k, Dense.of(g2, k), ref);
                        assertGradient(what + " pure gradient " + k, Dense.of(gp, k), ref);
                    }
                }
            }
        }
    }

    /**
     * A list whose largest matrix holds most of the work among four large ones, like the SN-GAN D's layers:
     * the engine splits that one across its threads and runs the rest one per thread, yet every matrix's
     * loss and gradient are those of the matrix processed by itself, bit for bit, for 1, 2 and 3 threads.
     */
    @Test
    void gramPenaltiesOfAListDoNotDependOnHowItIsScheduled() {
        assumeTrue(NativeBlas.available(), "native path off: " + NativeBlas.reason());
        List<MatrixBatch> list = List.of(
                TestMatrices.gaussian(96, 1, 130, 1024, 0.03),
                TestMatrices.gaussian(97, 1, 600, 900, 0.03),
                TestMatrices.gaussian(98, 1, 120, 1200, 0.03),
                TestMatrices.gaussian(99, 1, 128, 1100, 0.03));
        for (Penalty p : List.of(Penalty.BIGGAN, Penalty.SOFT)) {
            for (SpectralBackend backend : List.of(NATIVE_ONE_THREAD, NATIVE, NATIVE_THREE_THREADS)) {
                List<MatrixBatch> gradients = new ArrayList<>();
                for (MatrixBatch w : list) {
                    gradients.add(MatrixBatch.zeros(w.shape()));
                }
                PenaltyResult all = backend.orthogonalPenalty(list, p, BETA, gradients);
                for (int k = 0; k < list.size(); k++) {
                    MatrixBatch alone = MatrixBatch.zeros(list.get(k).shape());
                    PenaltyResult one = NATIVE_ONE_THREAD.orthogonalPenalty(list.get(k), p, BETA, alone);
                    String what = p + " matrix " + k;
                    assertEquals(one.perMatrix()[0], all.perMatrix()[k], what + ": loss");
                    assertArrayEquals(alone.toArray(), gradients.get(k).toArray(), what + ": gradient");
                }
            }
        }
    }

    /**
     * Weights and gradients in direct buffers (read and written in place by OpenBLAS when in native byte
     * order, staged otherwise; small matrices staged) give the heap arrays' results bit for bit, for 1, 2
     * and 3 threads, on both CPU paths; a gradient batch over the weights' own memory (another batch object,
     * which the API cannot tell apart) gets the gradient of the weights as they were.
     */
    @Test
    void gramPenaltiesOnDirectBuffersMatchHeapArrays() {
        List<MatrixBatch> heap = List.of(
                TestMatrices.gaussian(101, 1, 300, 700, 0.05),
                TestMatrices.gaussian(102, 2, 10, 12, 0.3),
                TestMatrices.gaussian(103, 1, 520, 200, 0.05));
        List<SpectralBackend> backends =
                NativeBlas.available() ? List.of(NATIVE_ONE_THREAD, NATIVE, NATIVE_THREE_THREADS, PURE) : List.of(PURE);
        for (Penalty p : List.of(Penalty.BIGGAN, Penalty.SOFT, Penalty.L1)) {
            for (SpectralBackend backend : backends) {
                List<MatrixBatch> expected = zerosLike(heap);
                PenaltyResult want = backend.orthogonalPenalty(heap, p, BETA, expected);
                for (ByteOrder order : List.of(ByteOrder.nativeOrder(), swapped())) {
                    List<MatrixBatch> weights = new ArrayList<>();
                    List<MatrixBatch> gradients = new ArrayList<>();
                    for (MatrixBatch w : heap) {
                        weights.add(TestMatrices.direct(w, order));
                        gradients.add(TestMatrices.direct(MatrixBatch.zeros(w.shape()), order));
                    }
                    String what = p + " " + order;
                    PenaltyResult got = backend.orthogonalPenalty(weights, p, BETA, gradients);
                    assertArrayEquals(want.perMatrix(), got.perMatrix(), what + ": loss");
                    for (int l = 0; l < heap.size(); l++) {
                        assertArrayEquals(
                                expected.get(l).toArray(), gradients.get(l).toArray(), what + ": gradient " + l);
                        assertArrayEquals(
                                heap.get(l).toArray(), weights.get(l).toArray(), what + ": weights unchanged");
                    }
                    List<MatrixBatch> aliased = new ArrayList<>();
                    List<MatrixBatch> sameMemory = new ArrayList<>();
                    for (MatrixBatch w : heap) {
                        MatrixBatch d = TestMatrices.direct(w, order);
                        aliased.add(d);
                        BatchShape s = d.shape();
                        sameMemory.add(MatrixBatch.of(d.buffer(), s.batch(), s.rows(), s.cols()));
                    }
                    PenaltyResult inPlace = backend.orthogonalPenalty(aliased, p, BETA, sameMemory);
                    assertArrayEquals(
                            want.perMatrix(), inPlace.perMatrix(), what + ": loss, gradient over the weights");
                    for (int l = 0; l < heap.size(); l++) {
                        assertArrayEquals(
                                expected.get(l).toArray(),
                                aliased.get(l).toArray(),
                                what + ": gradient over weights " + l);
                    }
                }
            }
        }
    }

    private static ByteOrder swapped() {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static List<MatrixBatch> zerosLike(List<MatrixBatch> batches) {
        List<MatrixBatch> zeros = new ArrayList<>();
        for (MatrixBatch b : batches) {
            zeros.add(MatrixBatch.zeros(b.shape()));
        }
        return zeros;
    }
}
