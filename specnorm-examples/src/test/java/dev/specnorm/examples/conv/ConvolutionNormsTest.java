package dev.specnorm.examples.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.SeededGaussian;
import dev.specnorm.api.testing.Dense;
import dev.specnorm.api.testing.JacobiSvd;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The convolution norms against explicitly built dense operators whose singular values come from the
 * test-jar's one-sided Jacobi SVD, and SPEC.md's bounds on the SN-GAN discriminator's layer geometry.
 */
class ConvolutionNormsTest {

    private static double[] weights(long seed, int count, double std) {
        double[] w = new double[count];
        SeededGaussian g = new SeededGaussian(seed, 7);
        for (int i = 0; i < count; i++) {
            w[i] = std * g.nextGaussian();
        }
        return w;
    }

    /** y[o,i,j] = Σ W[o,c,a,b] x[c, (i + a) mod n, (j + b) mod n]: the circular operator, entry by entry. */
    private static Dense circularOperator(double[] w, int out, int in, int k, int n) {
        Dense m = Dense.zeros(out * n * n, in * n * n);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int row = (o * n + i) * n + j;
                    for (int c = 0; c < in; c++) {
                        for (int a = 0; a < k; a++) {
                            for (int b = 0; b < k; b++) {
                                int col = (c * n + (i + a) % n) * n + (j + b) % n;
                                m.a[row * m.cols + col] += w[((o * in + c) * k + a) * k + b];
                            }
                        }
                    }
                }
            }
        }
        return m;
    }

    /** The zero-padded strided operator, entry by entry. */
    private static Dense zeroPaddedOperator(double[] w, int out, int in, int k, int s, int p, int n) {
        int on = (n + 2 * p - k) / s + 1;
        Dense m = Dense.zeros(out * on * on, in * n * n);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < on; i++) {
                for (int j = 0; j < on; j++) {
                    int row = (o * on + i) * on + j;
                    for (int c = 0; c < in; c++) {
                        for (int a = 0; a < k; a++) {
                            for (int b = 0; b < k; b++) {
                                int r = i * s + a - p;
                                int q = j * s + b - p;
                                if (r >= 0 && r < n && q >= 0 && q < n) {
                                    m.a[row * m.cols + (c * n + r) * n + q] += w[((o * in + c) * k + a) * k + b];
                                }
                            }
                        }
                    }
                }
            }
        }
        return m;
    }

    @ParameterizedTest(name = "{0}->{1} channels, {2}x{2} kernel, {3}x{3} input")
    @CsvSource({"2, 3, 3, 6", "3, 2, 3, 6", "2, 2, 4, 5", "1, 4, 2, 4"})
    void sedghiMatchesTheDenseCircularOperator(int in, int out, int k, int n) {
        double[] w = weights(11 + in * 7L + out, out * in * k * k, 1.0);
        double[] fft = CircularConvolutionSpectrum.singularValues(w, out, in, k, k, n);
        double[] dense = JacobiSvd.values(circularOperator(w, out, in, k, n));
        assertEquals(n * n * Math.min(in, out), fft.length);
        double[] top = Arrays.copyOf(dense, fft.length); // the rest of the dense values are zeros
        assertArrayEquals(top, fft, 1e-11 * dense[0]);
        for (int i = fft.length; i < dense.length; i++) {
            assertEquals(0, dense[i], 1e-11 * dense[0]);
        }
        assertEquals(dense[0], CircularConvolutionSpectrum.norm(w, out, in, k, k, n), 1e-11 * dense[0]);
    }

    @ParameterizedTest(name = "{0}->{1} channels, {2}x{2} kernel, stride {3}, padding {4}, {5}x{5} input")
    @CsvSource({"2, 3, 3, 1, 1, 6", "3, 2, 4, 2, 1, 8", "2, 2, 3, 2, 0, 7", "3, 4, 3, 1, 0, 5"})
    void operatorPowerIterationMatchesTheDenseZeroPaddedOperator(int in, int out, int k, int s, int p, int n) {
        double[] w = weights(5 + k * 3L + s, out * in * k * k, 1.0);
        Dense dense = zeroPaddedOperator(w, out, in, k, s, p, n);
        Convolution2d conv = new Convolution2d(w, out, in, k, k, s, p, n, n);
        assertEquals(dense.rows, conv.outputLength());
        // the operator itself, and its adjoint, equal the dense matrix and its transpose
        double[] x = weights(99, conv.inputLength(), 1.0);
        double[] y = weights(98, conv.outputLength(), 1.0);
        assertArrayEquals(dense.times(x), conv.apply(x), 1e-12);
        assertArrayEquals(dense.transposeTimes(y), conv.applyTranspose(y), 1e-12);

        double exact = JacobiSvd.values(dense)[0];
        OperatorPowerIteration.Result r = OperatorPowerIteration.run(conv, 3, 1e-13, 20_000);
        assertTrue(r.converged(), "converged in " + r.iterations());
        assertEquals(exact, r.sigma(), 1e-6 * exact);
        assertTrue(r.sigma() <= exact * (1 + 1e-12), "a lower estimate");

        OperatorPowerIteration.Result d =
                OperatorPowerIteration.run(conv, 3, OperatorPowerIteration.DEFAULT_TOLERANCE, 5000);
        assertTrue(d.converged());
        assertTrue(d.relativeChange() < 1e-6);
        assertEquals(exact, d.sigma(), 1e-3 * exact);
    }

    @Test
    void theIterationCapIsReported() {
        double[] w = weights(1, 2 * 2 * 9, 1.0);
        OperatorPowerIteration.Result r =
                OperatorPowerIteration.run(new Convolution2d(w, 2, 2, 3, 3, 1, 1, 8, 8), 0, 1e-15, 3);
        assertFalse(r.converged());
        assertEquals(3, r.iterations());
    }

    /**
     * SPEC.md's bounds on the SN-GAN standard CNN discriminator's real geometry (kernels 3×3 s1 / 4×4 s2,
     * padding 1, inputs 32, 32, 16, 16, 8, 8, 4), with the channel counts divided by 8 to keep the test short.
     */
    @Test
    void snganLayersRespectTheBounds() {
        int[][] layers = {
            {8, 3, 3, 1, 32},
            {8, 8, 4, 2, 32},
            {16, 8, 3, 1, 16},
            {16, 16, 4, 2, 16},
            {32, 16, 3, 1, 8},
            {32, 32, 4, 2, 8},
            {64, 32, 3, 1, 4}
        };
        for (int l = 0; l < layers.length; l++) {
            int[] c = layers[l];
            int out = c[0];
            int in = c[1];
            int k = c[2];
            float[] w = new float[out * in * k * k];
            new SeededGaussian(42, l).fill(w, 0, w.length);
            for (int i = 0; i < w.length; i++) {
                w[i] *= 0.02f;
            }
            ConvolutionNorms.Layer r = ConvolutionNorms.analyze(w, out, in, k, k, c[3], 1, c[4], 0, 1e-6, 3000);
            String what = "layer " + (l + 1) + " " + r;
            assertTrue(r.lowerBoundApplies(), what);
            assertTrue(r.upperBoundHolds(1e-9), what);
            assertTrue(r.lowerBoundHolds(1e-9), what);
            assertTrue(r.operatorRatio() >= 1 && r.operatorRatio() <= r.upperFactor() * (1 + 1e-9), what);
            assertEquals(Math.sqrt(c[3] == 1 ? 9 : 4), r.upperFactor(), 1e-15);
            // circular padding with n ≥ k: the same bounds hold for the stride-1 circular operator
            double f1 = ConvolutionNorms.upperBoundFactor(k, k, 1);
            assertTrue(r.circularNorm() <= f1 * r.reshapedSigma() * (1 + 1e-9), what);
            assertTrue(r.reshapedSigma() <= r.circularNorm() * (1 + 1e-9), what);
        }
    }

    @Test
    void lowerBoundCondition() {
        assertTrue(ConvolutionNorms.lowerBoundApplies(4, 3, 3, 1, 1));
        assertTrue(ConvolutionNorms.lowerBoundApplies(5, 4, 4, 2, 1)); // 4 + 2 - 1 = 5
        assertFalse(ConvolutionNorms.lowerBoundApplies(4, 4, 4, 2, 1));
        assertTrue(ConvolutionNorms.lowerBoundApplies(4, 4, 4, 2, 0));
        assertEquals(Math.sqrt(4), ConvolutionNorms.upperBoundFactor(3, 3, 2), 0);
    }

    @Test
    void rejectsAKernelLargerThanTheInput() {
        assertThrows(
                IllegalArgumentException.class,
                () -> CircularConvolutionSpectrum.singularValues(new double[16], 1, 1, 4, 4, 3));
    }
}
