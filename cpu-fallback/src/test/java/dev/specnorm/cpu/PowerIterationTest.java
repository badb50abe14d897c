package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SeededGaussian;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.StaleStateException;
import dev.specnorm.api.StateLayout;
import dev.specnorm.api.testing.Tolerances;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Power iteration (SPEC.md "Power iteration", "Top-k", SRIP's Gram operator) against float64 references. */
class PowerIterationTest {

    private static final double EPS = 1e-12;
    private static final SpectralBackend CPU = SpectralBackend.forEngine(new CpuEngine(2));
    private static final SpectralBackend SEQUENTIAL = SpectralBackend.forEngine(new CpuEngine(1));

    @AfterAll
    static void close() {
        CPU.close();
        SEQUENTIAL.close();
    }

    @Test
    void matchesFloat64ReferenceFromTheSeededState() {
        Random random = new Random(10);
        int[][] shapes = {{1, 1}, {1, 7}, {7, 1}, {5, 9}, {64, 33}, {33, 64}, {300, 500}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            float[] w = spectrum(m, n, random);
            MatrixBatch batch = MatrixBatch.of(w, m, n);
            PowerState state = CPU.newPowerState(batch, new PowerOptions(7, 3, 1));
            float[] sigma = CPU.powerIteration(batch, state, 4);
            double[][] ref = seeded(7, 0, 1, m, n);
            double[] u = ref[0];
            double[] v = ref[1];
            double[][] dw = Ref.toDouble(w, 0, m, n);
            initialize(dw, u, v);
            double expected = iterate(dw, u, v, 7);
            String label = m + "×" + n;
            assertEquals(expected, sigma[0], 1e-5 * expected, label + " σ̂");
            assertClose(u, state.exportU(), 1e-4, label + " u");
            assertClose(v, state.exportV(), 1e-4, label + " v");
        }
    }

    @Test
    void convergesToSigma1FromBelow() {
        Random random = new Random(11);
        for (int[] shape : new int[][] {{40, 60}, {60, 40}, {400, 400}}) {
            float[] w = spectrum(shape[0], shape[1], random);
            MatrixBatch batch = MatrixBatch.of(w, shape[0], shape[1]);
            double sigma1 = Ref.singularValues(w, 0, shape[0], shape[1])[0];
            PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
            float sigma = CPU.powerIteration(batch, state, 60)[0];
            assertTrue(sigma <= sigma1 * (1 + Tolerances.POWER_UPPER_BOUND), "σ̂ ≤ σ₁");
            assertEquals(sigma1, sigma, 1e-6 * sigma1);
        }
    }

    @Test
    void zeroIterationsEvaluatesWithoutChangingState() {
        Random random = new Random(12);
        float[] w = spectrum(6, 4, random);
        MatrixBatch batch = MatrixBatch.of(w, 6, 4);
        PowerState state = CPU.newPowerState(batch, new PowerOptions(0, 2, 1));
        float[] u = state.exportU();
        float[] v = state.exportV();
        float sigma = CPU.powerIteration(batch, state, 0)[0];
        double expected = 0;
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 4; j++) {
                expected += (double) u[i] * w[i * 4 + j] * v[j];
            }
        }
        assertEquals(expected, sigma, 1e-6 * Math.abs(expected));
        assertArrayEquals(u, state.exportU());
        assertArrayEquals(v, state.exportV());
    }

    @Test
    void negatedStateIsStaleAndStaysUnchanged() {
        Random random = new Random(13);
        float[] w = Ref.gaussian(3 * 5 * 4, 1, 1, random);
        MatrixBatch batch = MatrixBatch.of(w, 3, 5, 4);
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
        double[][] seeded = seeded(0, 1, 1, 3, 5);
        assertClose(seeded[0], java.util.Arrays.copyOfRange(u, 3, 6), 1e-7, "seeded u kept");
        assertClose(seeded[1], java.util.Arrays.copyOfRange(v, 5, 10), 1e-7, "fallback v kept");
    }

    @Test
    void nanNamesTheMatrixAndLeavesStateUnchanged() {
        Random random = new Random(14);
        float[] w = Ref.gaussian(4 * 3 * 3, 1, 1, random);
        MatrixBatch batch = MatrixBatch.of(w, 4, 3, 3);
        PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
        float[] u = state.exportU();
        w[2 * 9 + 4] = Float.NaN;
        w[3 * 9] = Float.POSITIVE_INFINITY;
        for (int iterations : new int[] {0, 1, 5}) {
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class,
                    () -> CPU.powerIteration(batch, state, iterations));
            assertEquals(2, e.matrixIndex());
            assertArrayEquals(u, state.exportU());
        }
        assertThrows(NonFiniteValueException.class, () -> CPU.newPowerState(batch, new PowerOptions(0, 0, 1)));
    }

    @Test
    void topKDeflatesAsSpecified() {
        Random random = new Random(15);
        int m = 20;
        int n = 12;
        float[] w = Ref.withSpectrum(m, n, new double[] {5, 3, 2, 1, 0.5}, random);
        MatrixBatch batch = MatrixBatch.of(w, m, n);
        int k = 3;
        PowerState state = CPU.newPowerState(batch, new PowerOptions(3, 2, k));
        float[][] sigma = CPU.topK(List.of(batch), state, 3);
        double[][] ref = seeded(3, 0, k, m, n);
        double[][] dw = Ref.toDouble(w, 0, m, n);
        deflated(dw, ref[0], ref[1], k, 2, true);
        double[] expected = deflated(dw, ref[0], ref[1], k, 3, false);
        for (int j = 0; j < k; j++) {
            assertEquals(expected[j], sigma[0][j], 1e-5 * expected[0], "σ̂" + j);
        }
        assertClose(ref[0], state.exportU(), 1e-4, "u rows");
        assertClose(ref[1], state.exportV(), 1e-4, "v rows");
        float[][] converged = CPU.topK(List.of(batch), state, 200);
        double[] exact = Ref.singularValues(w, 0, m, n);
        for (int j = 0; j < k; j++) {
            assertEquals(exact[j], converged[0][j], 1e-5 * exact[0], "σ" + j);
        }
    }

    @Test
    void gramOperatorMatchesTheFormedGram() {
        Random random = new Random(16);
        for (int[] shape : new int[][] {{6, 10}, {10, 6}, {5, 5}, {1, 4}, {4, 1}}) {
            int m = shape[0];
            int n = shape[1];
            int r = Math.min(m, n);
            float[] w = Ref.gaussian(m, n, 0.5, random);
            MatrixBatch batch = MatrixBatch.of(w, m, n);
            PowerState state = CPU.newSripState(List.of(batch), new PowerOptions(4, 1, 1));
            assertEquals(StateLayout.Operator.GRAM, state.layout().operator());
            float sigma = CPU.srip(List.of(batch), state, 0, 1f, null).perMatrix()[0];
            double[][] dw = Ref.toDouble(w, 0, m, n);
            double[][] g = m <= n ? Ref.mul(dw, Ref.transpose(dw)) : Ref.mul(Ref.transpose(dw), dw);
            g = Ref.add(g, -1, Ref.identity(r));
            double[][] ref = seeded(4, 0, 1, r, r);
            initialize(g, ref[0], ref[1]);
            iterate(g, ref[0], ref[1], 1);
            double expected = bilinear(g, ref[0], ref[1]);
            assertEquals(expected, sigma, 1e-5 * Math.max(1, Math.abs(expected)), m + "×" + n);
        }
    }

    @Test
    void iterationsInOneCallEqualIterationsInMany() {
        Random random = new Random(17);
        float[] w = spectrum(30, 50, random);
        MatrixBatch batch = MatrixBatch.of(w, 30, 50);
        PowerState once = CPU.newPowerState(batch, new PowerOptions(1, 0, 1));
        PowerState many = CPU.newPowerState(batch, new PowerOptions(1, 0, 1));
        float sigmaOnce = CPU.powerIteration(batch, once, 6)[0];
        float sigmaMany = 0;
        for (int i = 0; i < 6; i++) {
            sigmaMany = CPU.powerIteration(batch, many, 1)[0];
        }
        assertEquals(sigmaMany, sigmaOnce, 1e-6 * sigmaMany);
        assertClose(toDouble(many.exportU()), once.exportU(), 1e-6, "u");
        assertClose(toDouble(many.exportV()), once.exportV(), 1e-6, "v");
    }

    @Test
    void parallelBatchEqualsSequentialBitForBit() {
        Random random = new Random(18);
        float[] w = Ref.gaussian(500 * 7 * 5, 1, 1, random);
        MatrixBatch batch = MatrixBatch.of(w, 500, 7, 5);
        PowerState a = CPU.newPowerState(batch, PowerOptions.DEFAULT);
        PowerState b = SEQUENTIAL.newPowerState(batch, PowerOptions.DEFAULT);
        assertArrayEquals(SEQUENTIAL.powerIteration(batch, b, 3), CPU.powerIteration(batch, a, 3));
        assertArrayEquals(b.exportU(), a.exportU());
        assertArrayEquals(b.exportV(), a.exportV());
    }

    @Test
    void rowBlockSplitAgreesWithOneThread() {
        Random random = new Random(19);
        int m = 700;
        int n = 300;
        float[] w = spectrum(m, n, random);
        MatrixBatch batch = MatrixBatch.of(w, m, n);
        PowerState a = CPU.newPowerState(batch, PowerOptions.DEFAULT);
        PowerState b = SEQUENTIAL.newPowerState(batch, PowerOptions.DEFAULT);
        float sa = CPU.powerIteration(batch, a, 5)[0];
        float sb = SEQUENTIAL.powerIteration(batch, b, 5)[0];
        assertEquals(sb, sa, 1e-6 * sb);
        assertClose(toDouble(b.exportU()), a.exportU(), 1e-5, "u");
    }

    @Test
    void largeAndSmallScalesNeitherOverflowNorUnderflow() {
        Random random = new Random(20);
        float[] w = spectrum(9, 13, random);
        MatrixBatch unit = MatrixBatch.of(w, 9, 13);
        float reference = CPU.powerIteration(unit, CPU.newPowerState(unit, PowerOptions.DEFAULT), 5)[0];
        for (float scale : new float[] {1e36f, 1e-9f}) {
            float[] scaled = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                scaled[i] = w[i] * scale;
            }
            MatrixBatch batch = MatrixBatch.of(scaled, 9, 13);
            PowerState state = CPU.newPowerState(batch, PowerOptions.DEFAULT);
            float sigma = CPU.powerIteration(batch, state, 5)[0];
            assertEquals(reference * (double) scale, sigma, 1e-5 * reference * scale, "scale " + scale);
            MatrixBatch out = MatrixBatch.zeros(batch.shape());
            CPU.normalize(batch, state, 1, out);
            assertEquals(w[0] / (double) reference, out.array()[0], 1e-4 * Math.abs(w[0] / reference));
        }
    }

    /** A gapped spectrum σᵢ = 10·0.7ⁱ. */
    private static float[] spectrum(int m, int n, Random random) {
        double[] s = new double[Math.min(m, n)];
        for (int i = 0; i < s.length; i++) {
            s[i] = 10 * Math.pow(0.7, i);
        }
        return Ref.withSpectrum(m, n, s, random);
    }

    /** The seeded state SpectralBackend draws: k unit u rows of length m, then k v rows of length n. */
    static double[][] seeded(long seed, int index, int k, int m, int n) {
        SeededGaussian stream = new SeededGaussian(seed, index);
        return new double[][] {unitRows(stream, k, m), unitRows(stream, k, n)};
    }

    private static double[] unitRows(SeededGaussian stream, int k, int len) {
        double[] x = new double[k * len];
        for (int r = 0; r < k; r++) {
            double s = 0;
            for (int i = 0; i < len; i++) {
                x[r * len + i] = stream.nextGaussian();
                s += x[r * len + i] * x[r * len + i];
            }
            for (int i = 0; i < len; i++) {
                x[r * len + i] = (float) (x[r * len + i] / Math.sqrt(s));
            }
        }
        return x;
    }

    /** v ← normalize(Aᵀu) unless zero. */
    static void initialize(double[][] a, double[] u, double[] v) {
        double[] y = transposeTimes(a, u, 0);
        double ny = norm(y);
        if (ny > 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] = y[j] / Math.max(ny, EPS);
            }
        }
    }

    /** k iterations v ← normalize(Aᵀu), u ← normalize(Av); returns uᵀAv. */
    static double iterate(double[][] a, double[] u, double[] v, int k) {
        for (int it = 0; it < k; it++) {
            initialize(a, u, v);
            double[] t = times(a, v, 0);
            double nt = norm(t);
            if (nt > 0) {
                for (int i = 0; i < u.length; i++) {
                    u[i] = t[i] / Math.max(nt, EPS);
                }
            }
        }
        return bilinear(a, u, v);
    }

    /** The deflated top-k iteration of SPEC.md, from u (k rows) and v (k rows), in place; returns σ̂_j. */
    private static double[] deflated(double[][] a, double[] u, double[] v, int k, int iterations, boolean init) {
        int m = a.length;
        int n = a[0].length;
        if (init) {
            for (int j = 0; j < k; j++) {
                double[] y = transposeTimes(a, u, j * m);
                for (int l = 0; l < j; l++) {
                    project(y, v, l * n);
                }
                store(y, v, j * n);
            }
        }
        double[] sigma = new double[k];
        for (int it = 0; it < iterations; it++) {
            for (int j = 0; j < k; j++) {
                double[] y = transposeTimes(a, u, j * m);
                for (int l = 0; l < j; l++) {
                    project(y, v, l * n);
                }
                store(y, v, j * n);
                double[] t = times(a, v, j * n);
                double[] t2 = t.clone();
                for (int l = 0; l < j; l++) {
                    project(t2, u, l * m);
                }
                store(t2, u, j * m);
                double s = 0;
                for (int i = 0; i < m; i++) {
                    s += u[j * m + i] * t[i];
                }
                sigma[j] = s;
            }
        }
        return sigma;
    }

    private static void project(double[] x, double[] basis, int off) {
        double bb = 0;
        double bx = 0;
        for (int i = 0; i < x.length; i++) {
            bb += basis[off + i] * basis[off + i];
            bx += basis[off + i] * x[i];
        }
        for (int i = 0; i < x.length; i++) {
            x[i] -= bx / bb * basis[off + i];
        }
    }

    private static void store(double[] x, double[] dst, int off) {
        double nx = norm(x);
        if (nx > 0) {
            for (int i = 0; i < x.length; i++) {
                dst[off + i] = x[i] / Math.max(nx, EPS);
            }
        }
    }

    static double bilinear(double[][] a, double[] u, double[] v) {
        double[] t = times(a, v, 0);
        double s = 0;
        for (int i = 0; i < t.length; i++) {
            s += u[i] * t[i];
        }
        return s;
    }

    static double[] times(double[][] a, double[] x, int off) {
        double[] t = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[i] += a[i][j] * x[off + j];
            }
        }
        return t;
    }

    static double[] transposeTimes(double[][] a, double[] y, int off) {
        double[] t = new double[a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j] += a[i][j] * y[off + i];
            }
        }
        return t;
    }

    static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    static void assertClose(double[] expected, float[] actual, double tolerance, String label) {
        assertEquals(expected.length, actual.length, label + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, label + "[" + i + "]");
        }
    }
}
