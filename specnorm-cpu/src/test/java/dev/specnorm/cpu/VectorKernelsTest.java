package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels ({@link VectorRowKernels}) and the plain loops of {@link RowKernels} against float64
 * products: each entry of W x and Wᵀc is within the standard forward-error bound γₙ·(|W||x|)ᵢ, γₙ = nε/(1 − nε),
 * ε = 2⁻²⁴, of the float64 product, on shapes that leave row and lane remainders. The default surefire run
 * adds {@code jdk.incubator.vector}, the pure-Java run does not: each checks that the path matches.
 */
class VectorKernelsTest {

    private static final double EPS = Math.ulp(1.0f) / 2;

    @Test
    void vectorPathIsUsedExactlyWhenTheModuleIsAdded() {
        boolean wanted = VectorSupport.modulePresent() && !"false".equals(System.getProperty(VectorSupport.PROPERTY));
        assertEquals(wanted, VectorSupport.ENABLED);
        if (VectorSupport.ENABLED) {
            assertNull(VectorSupport.reason());
        } else {
            assertNotNull(VectorSupport.reason());
        }
    }

    @Test
    void plainLoopsMatchFloat64Products() {
        for (int[] shape : shapes()) {
            check(shape[0], shape[1], false);
        }
    }

    @Test
    void vectorKernelsMatchFloat64Products() {
        if (!VectorSupport.modulePresent()) {
            return; // the pure-Java run: VectorRowKernels cannot load without the module (tested above)
        }
        assertTrue(VectorRowKernels.selfTest());
        for (int[] shape : shapes()) {
            check(shape[0], shape[1], true);
        }
    }

    private static int[][] shapes() {
        return new int[][] {{1, 1}, {3, 5}, {4, 16}, {7, 33}, {9, 100}, {13, 257}, {64, 1024}, {130, 77}};
    }

    private static void check(int m, int n, boolean vector) {
        SplittableRandom random = new SplittableRandom(31L * m + n);
        int off = 3;
        float[] w = new float[off + m * n];
        float[] x = new float[n];
        float[] c = new float[m];
        for (int k = off; k < w.length; k++) {
            w[k] = (float) (random.nextDouble() * 2 - 1);
        }
        for (int j = 0; j < n; j++) {
            x[j] = (float) (random.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < m; i++) {
            c[i] = (float) (random.nextDouble() * 2 - 1);
        }
        float[] y = new float[m];
        float[] acc = new float[n];
        float[] dots = new float[m];
        if (vector) {
            VectorRowKernels.multiply(w, off, n, 0, m, x, y);
            VectorRowKernels.accumulateTransposed(w, off, n, 0, m, c, acc);
            for (int i = 0; i < m; i++) {
                dots[i] = VectorRowKernels.dotRow(w, off + i * n, n, x);
            }
        } else {
            RowKernels.scalarMultiply(w, off, n, 0, m, x, y);
            RowKernels.scalarAccumulateTransposed(w, off, n, 0, m, c, acc);
            for (int i = 0; i < m; i++) {
                dots[i] = RowKernels.scalarDotRow(w, off + i * n, n, x);
            }
        }
        double gammaRows = n * EPS / (1 - n * EPS);
        for (int i = 0; i < m; i++) {
            double exact = 0;
            double abs = 0;
            for (int j = 0; j < n; j++) {
                exact += (double) w[off + i * n + j] * x[j];
                abs += Math.abs((double) w[off + i * n + j] * x[j]);
            }
            String where = (vector ? "vector" : "plain") + " " + m + "x" + n + " row " + i;
            assertTrue(Math.abs(y[i] - exact) <= gammaRows * abs, where + ": W x = " + y[i] + ", float64 " + exact);
            assertTrue(
                    Math.abs(dots[i] - exact) <= gammaRows * abs, where + ": dot = " + dots[i] + ", float64 " + exact);
        }
        double gammaCols = m * EPS / (1 - m * EPS);
        for (int j = 0; j < n; j++) {
            double exact = 0;
            double abs = 0;
            for (int i = 0; i < m; i++) {
                exact += (double) c[i] * w[off + i * n + j];
                abs += Math.abs((double) c[i] * w[off + i * n + j]);
            }
            String where = (vector ? "vector" : "plain") + " " + m + "x" + n + " column " + j;
            assertTrue(Math.abs(acc[j] - exact) <= gammaCols * abs, where + ": Wᵀc = " + acc[j] + ", float64 " + exact);
        }
    }
}
