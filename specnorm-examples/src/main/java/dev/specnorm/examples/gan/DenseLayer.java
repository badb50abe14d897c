package dev.specnorm.examples.gan;

import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * A fully connected layer y = x Wᵀ + b for a batch of rows x (B×in), with W out×in stored row-major in
 * float32 (the layout the library's {@code MatrixBatch.of(weight, out, in)} reads, so W can be spectrally
 * normalized or penalized in place) and activations in float64. The forward pass may use another matrix
 * of W's shape (Ŵ = W/σ̂ under spectral normalization); the backward pass returns ∂L/∂x and accumulates
 * ∂L/∂(matrix used) and ∂L/∂b:
 * ∂L/∂W = (∂L/∂y)ᵀ x, ∂L/∂b = Σ_rows ∂L/∂y, ∂L/∂x = (∂L/∂y) W.
 */
public final class DenseLayer {

    private final int in;
    private final int out;
    private final float[] weight;
    private final float[] bias;
    private final double[] weightGrad;
    private final double[] biasGrad;
    private double[] input = new double[0];
    private float[] used;
    private int batch;

    /**
     * A layer with weights N(0, gain²·2/in) drawn from {@code gaussian} (He et al. 2015) and zero bias.
     *
     * @throws IllegalArgumentException if a size is below 1
     */
    public DenseLayer(int in, int out, DoubleSupplier gaussian, double gain) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("layer sizes must be at least 1, got " + in + "→" + out);
        }
        this.in = in;
        this.out = out;
        weight = new float[out * in];
        double scale = gain * Math.sqrt(2.0 / in);
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (scale * gaussian.getAsDouble());
        }
        bias = new float[out];
        weightGrad = new double[out * in];
        biasGrad = new double[out];
    }

    public int inputs() {
        return in;
    }

    public int outputs() {
        return out;
    }

    /** The parameter W (out×in, row-major), modified in place by the optimizer. */
    public float[] weight() {
        return weight;
    }

    /** The parameter b. */
    public float[] bias() {
        return bias;
    }

    /** ∂L/∂(the matrix used in forward), accumulated since {@link #zeroGradients()}. */
    public double[] weightGradient() {
        return weightGrad;
    }

    /** ∂L/∂b, accumulated since {@link #zeroGradients()}. */
    public double[] biasGradient() {
        return biasGrad;
    }

    /** Clears the accumulated gradients. */
    public void zeroGradients() {
        Arrays.fill(weightGrad, 0);
        Arrays.fill(biasGrad, 0);
    }

    /** y = x Wᵀ + b with W itself. */
    public double[] forward(double[] x, int rows) {
        return forward(x, rows, weight);
    }

    /** y = x Mᵀ + b with {@code matrix} (out×in) in place of W; x is rows×in. */
    public double[] forward(double[] x, int rows, float[] matrix) {
        if (x.length != rows * in || matrix.length != weight.length) {
            throw new IllegalArgumentException("input " + x.length + " ≠ " + rows + "×" + in + " or matrix "
                    + matrix.length + " ≠ " + out + "×" + in);
        }
        input = x.clone();
        used = matrix;
        batch = rows;
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            int xo = r * in;
            int o = 0;
            // four outputs at a time: four independent sums (each in the order i = 0..in−1) share the loads of x
            for (; o + 4 <= out; o += 4) {
                double s0 = bias[o];
                double s1 = bias[o + 1];
                double s2 = bias[o + 2];
                double s3 = bias[o + 3];
                int w0 = o * in;
                for (int i = 0; i < in; i++) {
                    double xi = x[xo + i];
                    s0 += matrix[w0 + i] * xi;
                    s1 += matrix[w0 + in + i] * xi;
                    s2 += matrix[w0 + 2 * in + i] * xi;
                    s3 += matrix[w0 + 3 * in + i] * xi;
                }
                y[r * out + o] = s0;
                y[r * out + o + 1] = s1;
                y[r * out + o + 2] = s2;
                y[r * out + o + 3] = s3;
            }
            for (; o < out; o++) {
                double s = bias[o];
                int wo = o * in;
                for (int i = 0; i < in; i++) {
                    s += matrix[wo + i] * x[xo + i];
                }
                y[r * out + o] = s;
            }
        }
        return y;
    }

    /** Accumulates ∂L/∂M and ∂L/∂b for ∂L/∂y = {@code gy} (rows×out) and returns ∂L/∂x. */
    public double[] backward(double[] gy) {
        if (gy.length != batch * out) {
            throw new IllegalArgumentException("gradient " + gy.length + " ≠ " + batch + "×" + out);
        }
        double[] gx = new double[batch * in];
        // Each sum is accumulated in the order of the plain loops (outputs o ascending for ∂L/∂x, rows r
        // ascending for ∂L/∂M); four terms per pass, added left to right, only save loads and stores.
        for (int r = 0; r < batch; r++) {
            int xo = r * in;
            int o = 0;
            for (; o + 4 <= out; o += 4) {
                double g0 = gy[r * out + o];
                double g1 = gy[r * out + o + 1];
                double g2 = gy[r * out + o + 2];
                double g3 = gy[r * out + o + 3];
                int w0 = o * in;
                for (int i = 0; i < in; i++) {
                    gx[xo + i] = gx[xo + i]
                            + g0 * used[w0 + i]
                            + g1 * used[w0 + in + i]
                            + g2 * used[w0 + 2 * in + i]
                            + g3 * used[w0 + 3 * in + i];
                }
            }
            for (; o < out; o++) {
                double g = gy[r * out + o];
                int wo = o * in;
                for (int i = 0; i < in; i++) {
                    gx[xo + i] += g * used[wo + i];
                }
            }
        }
        for (int o = 0; o < out; o++) {
            int wo = o * in;
            int r = 0;
            for (; r + 4 <= batch; r += 4) {
                double g0 = gy[r * out + o];
                double g1 = gy[(r + 1) * out + o];
                double g2 = gy[(r + 2) * out + o];
                double g3 = gy[(r + 3) * out + o];
                biasGrad[o] = biasGrad[o] + g0 + g1 + g2 + g3;
                int x0 = r * in;
                for (int i = 0; i < in; i++) {
                    weightGrad[wo + i] = weightGrad[wo + i]
                            + g0 * input[x0 + i]
                            + g1 * input[x0 + in + i]
                            + g2 * input[x0 + 2 * in + i]
                            + g3 * input[x0 + 3 * in + i];
                }
            }
            for (; r < batch; r++) {
                double g = gy[r * out + o];
                biasGrad[o] += g;
                int xo = r * in;
                for (int i = 0; i < in; i++) {
                    weightGrad[wo + i] += g * input[xo + i];
                }
            }
        }
        return gx;
    }
}
