package dev.specnorm.examples.gan;

import static dev.specnorm.examples.gan.TestVectors.dot;
import static dev.specnorm.examples.gan.TestVectors.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The example's layers against independent references: every gradient against central finite differences
 * of the float64 loss L = Σ r ⊙ y (random r), and the convolution's forward pass against its defining sum.
 * Each layer is linear in the perturbed parameter (LeakyReLU piecewise linear, with inputs kept away from
 * its kink), so central differences are exact up to rounding: gradients must agree to 1e-6 normwise.
 */
class LayerGradientTest {

    private static final double TOL = 1e-6;
    private final Random random = new Random(20261122);

    /** ∂L/∂p[i] by central differences, perturbing float p[i] by ±h (the actual step is used). */
    private static double[] differences(float[] p, ToDoubleFunction<float[]> loss) {
        double[] g = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            float keep = p[i];
            float up = (float) (keep + 1e-2);
            float down = (float) (keep - 1e-2);
            p[i] = up;
            double lu = loss.applyAsDouble(p);
            p[i] = down;
            double ld = loss.applyAsDouble(p);
            p[i] = keep;
            g[i] = (lu - ld) / ((double) up - down);
        }
        return g;
    }

    private static double[] differences(double[] x, ToDoubleFunction<double[]> loss) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + 1e-4;
            double lu = loss.applyAsDouble(x);
            x[i] = keep - 1e-4;
            double ld = loss.applyAsDouble(x);
            x[i] = keep;
            g[i] = (lu - ld) / 2e-4;
        }
        return g;
    }

    private static void assertClose(String what, double[] expected, double[] actual) {
        double d = 0;
        double n = 0;
        for (int i = 0; i < expected.length; i++) {
            d += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            n += expected[i] * expected[i];
        }
        assertTrue(Math.sqrt(d) <= TOL * Math.sqrt(n), what + ": relative error " + Math.sqrt(d / n));
    }

    @Test
    void denseGradientsMatchFiniteDifferences() {
        DenseLayer layer = new DenseLayer(7, 5, random::nextGaussian, 1.0);
        for (int o = 0; o < 5; o++) {
            layer.bias()[o] = (float) random.nextGaussian();
        }
        int rows = 4;
        double[] x = gaussian(random, rows * 7);
        double[] r = gaussian(random, rows * 5);
        layer.zeroGradients();
        layer.forward(x, rows);
        double[] gx = layer.backward(r);
        assertClose("∂L/∂x", differences(x.clone(), xs -> dot(r, layer.forward(xs, rows))), gx);
        double[] gw = layer.weightGradient().clone();
        double[] gb = layer.biasGradient().clone();
        assertClose("∂L/∂W", differences(layer.weight(), w -> dot(r, layer.forward(x, rows, w))), gw);
        assertClose("∂L/∂b", differences(layer.bias(), b -> dot(r, layer.forward(x, rows))), gb);
    }

    @Test
    void denseUsesTheGivenMatrixAndReturnsItsGradient() {
        DenseLayer layer = new DenseLayer(3, 2, random::nextGaussian, 1.0);
        float[] other = {1, 2, 3, 4, 5, 6};
        double[] y = layer.forward(new double[] {1, 0, -1}, 1, other);
        assertEquals(-2, y[0], 0);
        assertEquals(-2, y[1], 0);
        assertThrows(IllegalArgumentException.class, () -> layer.forward(new double[4], 1));
    }

    @Test
    void leakyReluGradientMatchesFiniteDifferencesAwayFromTheKink() {
        LeakyRelu f = new LeakyRelu(0.2);
        double[] x = gaussian(random, 40);
        for (int i = 0; i < x.length; i++) {
            x[i] += Math.signum(x[i]) * 0.1;
        }
        double[] r = gaussian(random, 40);
        f.forward(x);
        double[] gx = f.backward(r);
        assertClose("LeakyReLU ∂L/∂x", differences(x.clone(), xs -> dot(r, new LeakyRelu(0.2).forward(xs))), gx);
        assertThrows(IllegalArgumentException.class, () -> new LeakyRelu(1));
    }

    @Test
    void convolutionForwardIsItsDefiningSum() {
        int c = 2;
        int h = 6;
        int w = 5;
        int out = 3;
        int k = 3;
        for (int[] sp : new int[][] {{1, 1}, {2, 1}, {2, 0}}) {
            Convolution conv = new Convolution(c, h, w, out, k, sp[0], sp[1]);
            float[] weight = floats(out * c * k * k);
            float[] bias = floats(out);
            double[] x = gaussian(random, 2 * c * h * w);
            double[] y = conv.forward(x, 2, weight, bias);
            int ho = conv.outHeight();
            int wo = conv.outWidth();
            assertEquals((h + 2 * sp[1] - k) / sp[0] + 1, ho);
            for (int b = 0; b < 2; b++) {
                for (int o = 0; o < out; o++) {
                    for (int oy = 0; oy < ho; oy++) {
                        for (int ox = 0; ox < wo; ox++) {
                            double s = bias[o];
                            for (int ch = 0; ch < c; ch++) {
                                for (int i = 0; i < k; i++) {
                                    for (int j = 0; j < k; j++) {
                                        int iy = sp[0] * oy + i - sp[1];
                                        int ix = sp[0] * ox + j - sp[1];
                                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                            s += weight[((o * c + ch) * k + i) * k + j]
                                                    * x[((b * c + ch) * h + iy) * w + ix];
                                        }
                                    }
                                }
                            }
                            assertEquals(s, y[((b * out + o) * ho + oy) * wo + ox], 1e-12 * (1 + Math.abs(s)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void convolutionGradientsMatchFiniteDifferences() {
        Convolution conv = new Convolution(2, 5, 5, 3, 3, 2, 1);
        float[] weight = floats(3 * 18);
        float[] bias = floats(3);
        double[] x = gaussian(random, 2 * 2 * 25);
        double[] r = gaussian(random, 2 * 3 * conv.outHeight() * conv.outWidth());
        double[] gw = new double[weight.length];
        double[] gb = new double[3];
        conv.forward(x, 2, weight, bias);
        double[] gx = conv.backward(r, gw, gb);
        assertClose("conv ∂L/∂x", differences(x.clone(), xs -> dot(r, conv.forward(xs, 2, weight, bias))), gx);
        assertClose("conv ∂L/∂W", differences(weight, wt -> dot(r, conv.forward(x, 2, wt, bias))), gw);
        assertClose("conv ∂L/∂b", differences(bias, bs -> dot(r, conv.forward(x, 2, weight, bs))), gb);
        assertThrows(IllegalArgumentException.class, () -> new Convolution(1, 2, 2, 1, 5, 1, 0));
    }

    @Test
    void adamsFirstStepIsTheBiasCorrectedSignStep() {
        float[] theta = {1f, -2f, 0.5f};
        double[] g = {0.3, -4.0, 1e-3};
        new Adam(3, 1e-2, 0.5, 0.999, 1e-8).step(theta, g);
        // m̂ = g, v̂ = g² after one step: θ − lr·g/(|g| + ε)
        double[] start = {1, -2, 0.5};
        for (int i = 0; i < 3; i++) {
            assertEquals(start[i] - 1e-2 * g[i] / (Math.abs(g[i]) + 1e-8), theta[i], 1e-6);
        }
        assertThrows(IllegalArgumentException.class, () -> new Adam(1, 0, 0.5, 0.9, 1e-8));
    }

    private float[] floats(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) random.nextGaussian();
        }
        return f;
    }
}
