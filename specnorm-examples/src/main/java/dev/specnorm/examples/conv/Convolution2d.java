package dev.specnorm.examples.conv;

import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A 2-D multi-channel convolution (cross-correlation, as PyTorch's {@code conv2d}) with zero padding p and
 * stride s on an input of {@code in} channels of h×w, as a linear operator R^(in·h·w) → R^(out·oh·ow),
 * oh = ⌊(h + 2p − kh)/s⌋ + 1 (likewise ow), in float64:
 * <pre>
 *   y[o, i, j] = Σ_c Σ_a Σ_b W[o, c, a, b] · x[c, i·s + a − p, j·s + b − p]   (x = 0 outside the input)
 * </pre>
 * with its adjoint (the transposed convolution). Tensors are flat, row-major (channel, row, column);
 * weights are (out, in, kh, kw) row-major, as PyTorch stores them. The operator norm of this map is the
 * Lipschitz constant of the layer (Gouk et al., "Regularisation of neural networks by enforcing Lipschitz
 * continuity", Machine Learning 110, 2021). Output channels (forward) and input channels (adjoint) are
 * computed in parallel; each entry is summed in a fixed order, so results do not depend on the threads.
 */
public final class Convolution2d {

    private final double[] weight;
    private final int out;
    private final int in;
    private final int kh;
    private final int kw;
    private final ConvolutionGeometry geometry;
    private final int height;
    private final int width;
    private final int outHeight;
    private final int outWidth;

    /**
     * @param weight  (out, in, kh, kw) row-major, copied
     * @param stride  s ≥ 1
     * @param padding p ≥ 0 (zeros)
     * @param height  input height h
     * @param width   input width w
     * @throws IllegalArgumentException if {@link ConvolutionGeometry} refuses the sizes, out &lt; 1, or the
     *                                  weight length does not match
     */
    public Convolution2d(
            double[] weight, int out, int in, int kh, int kw, int stride, int padding, int height, int width) {
        Objects.requireNonNull(weight, "weight");
        if (out < 1) {
            throw new IllegalArgumentException("output channels must be at least 1, got " + out);
        }
        this.geometry = new ConvolutionGeometry(in, height, width, kh, kw, stride, padding);
        if (weight.length != (long) out * in * kh * kw) {
            throw new IllegalArgumentException("weight holds " + weight.length + " values, (" + out + ", " + in + ", "
                    + kh + ", " + kw + ") needs " + (long) out * in * kh * kw);
        }
        this.weight = weight.clone();
        this.out = out;
        this.in = in;
        this.kh = kh;
        this.kw = kw;
        this.height = height;
        this.width = width;
        this.outHeight = geometry.outHeight();
        this.outWidth = geometry.outWidth();
    }

    /** The same from float32 weights. */
    public static Convolution2d of(
            float[] weight, int out, int in, int kh, int kw, int stride, int padding, int height, int width) {
        double[] w = new double[weight.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weight[i];
        }
        return new Convolution2d(w, out, in, kh, kw, stride, padding, height, width);
    }

    /** The input, kernel, stride and padding. */
    public ConvolutionGeometry geometry() {
        return geometry;
    }

    /** in·h·w. */
    public int inputLength() {
        return geometry.inputLength();
    }

    /** out·oh·ow. */
    public int outputLength() {
        return out * outHeight * outWidth;
    }

    /** oh. */
    public int outputHeight() {
        return outHeight;
    }

    /** ow. */
    public int outputWidth() {
        return outWidth;
    }

    /** y = conv(x). */
    public double[] apply(double[] x) {
        if (x.length != inputLength()) {
            throw new IllegalArgumentException("x holds " + x.length + " values, expected " + inputLength());
        }
        double[] y = new double[outputLength()];
        IntStream.range(0, out).parallel().forEach(o -> {
            int yBase = o * outHeight * outWidth;
            for (int c = 0; c < in; c++) {
                int xBase = c * height * width;
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        double wv = weight[((o * in + c) * kh + a) * kw + b];
                        if (wv == 0) {
                            continue;
                        }
                        for (int i = 0; i < outHeight; i++) {
                            int r = geometry.inputRow(i, a);
                            if (r < 0 || r >= height) {
                                continue;
                            }
                            int row = xBase + r * width;
                            int yRow = yBase + i * outWidth;
                            for (int j = 0; j < outWidth; j++) {
                                int col = geometry.inputColumn(j, b);
                                if (col >= 0 && col < width) {
                                    y[yRow + j] += wv * x[row + col];
                                }
                            }
                        }
                    }
                }
            }
        });
        return y;
    }

    /** x = convᵀ(y), the adjoint: ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩. */
    public double[] applyTranspose(double[] y) {
        if (y.length != outputLength()) {
            throw new IllegalArgumentException("y holds " + y.length + " values, expected " + outputLength());
        }
        double[] x = new double[inputLength()];
        IntStream.range(0, in).parallel().forEach(c -> {
            int xBase = c * height * width;
            for (int o = 0; o < out; o++) {
                int yBase = o * outHeight * outWidth;
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        double wv = weight[((o * in + c) * kh + a) * kw + b];
                        if (wv == 0) {
                            continue;
                        }
                        for (int i = 0; i < outHeight; i++) {
                            int r = geometry.inputRow(i, a);
                            if (r < 0 || r >= height) {
                                continue;
                            }
                            int row = xBase + r * width;
                            int yRow = yBase + i * outWidth;
                            for (int j = 0; j < outWidth; j++) {
                                int col = geometry.inputColumn(j, b);
                                if (col >= 0 && col < width) {
                                    x[row + col] += wv * y[yRow + j];
                                }
                            }
                        }
                    }
                }
            }
        });
        return x;
    }
}
