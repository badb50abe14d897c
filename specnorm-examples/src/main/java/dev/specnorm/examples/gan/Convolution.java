package dev.specnorm.examples.gan;

import java.util.Arrays;

/**
 * A 2-D convolution (cross-correlation, as in PyTorch) of a batch of images B×C×H×W (float64, row-major)
 * with a weight of out×(C·k·k) in float32 — the {@code FILTERS} reshape of an (out, C, k, k) kernel, so the
 * library normalizes it as one matrix — stride s and zero padding p, by im2col and a matrix product:
 * y[b, o, y', x'] = bias[o] + Σ_{c,i,j} W[o, (c·k + i)·k + j] · x[b, c, s·y' + i − p, s·x' + j − p],
 * output Hₒ = (H + 2p − k)/s + 1. Backward: ∂L/∂W = Σ_b (∂L/∂y_b) colsᵀ, ∂L/∂x = col2im(Wᵀ ∂L/∂y_b).
 * The columns are rebuilt in the backward pass rather than kept (they are k²/s² times the input).
 */
public final class Convolution {

    private final int channels;
    private final int outputs;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int height;
    private final int width;
    private final int outHeight;
    private final int outWidth;
    private double[] input = new double[0];
    private float[] used;
    private int batch;

    /**
     * A convolution of C×H×W inputs into {@code outputs} channels with a k×k kernel.
     *
     * @throws IllegalArgumentException if the kernel does not fit the padded input or a size is below 1
     */
    public Convolution(int channels, int height, int width, int outputs, int kernel, int stride, int padding) {
        if (channels < 1 || height < 1 || width < 1 || outputs < 1 || kernel < 1 || stride < 1 || padding < 0
                || height + 2 * padding < kernel || width + 2 * padding < kernel) {
            throw new IllegalArgumentException("invalid convolution " + channels + "×" + height + "×" + width + " → "
                    + outputs + ", kernel " + kernel + ", stride " + stride + ", padding " + padding);
        }
        this.channels = channels;
        this.outputs = outputs;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.height = height;
        this.width = width;
        this.outHeight = (height + 2 * padding - kernel) / stride + 1;
        this.outWidth = (width + 2 * padding - kernel) / stride + 1;
    }

    /** Columns of the weight matrix: C·k·k. */
    public int patch() {
        return channels * kernel * kernel;
    }

    public int outHeight() {
        return outHeight;
    }

    public int outWidth() {
        return outWidth;
    }

    /** y for images x (batch×C×H×W) with weight matrix w (outputs×C·k·k) and bias (outputs). */
    public double[] forward(double[] x, int images, float[] w, float[] bias) {
        if (x.length != images * channels * height * width || w.length != outputs * patch() || bias.length != outputs) {
            throw new IllegalArgumentException("convolution operands do not match " + images + "×" + channels + "×"
                    + height + "×" + width + " → " + outputs);
        }
        input = x.clone();
        used = w;
        batch = images;
        int positions = outHeight * outWidth;
        double[] cols = new double[patch() * positions];
        double[] y = new double[images * outputs * positions];
        for (int b = 0; b < images; b++) {
            im2col(x, b, cols);
            for (int o = 0; o < outputs; o++) {
                int yo = (b * outputs + o) * positions;
                Arrays.fill(y, yo, yo + positions, bias[o]);
                for (int q = 0; q < patch(); q++) {
                    double wq = w[o * patch() + q];
                    if (wq != 0) {
                        int co = q * positions;
                        for (int p = 0; p < positions; p++) {
                            y[yo + p] += wq * cols[co + p];
                        }
                    }
                }
            }
        }
        return y;
    }

    /**
     * For ∂L/∂y = gy: adds ∂L/∂W to {@code weightGrad} (outputs×C·k·k) and ∂L/∂bias to {@code biasGrad}, and
     * returns ∂L/∂x.
     */
    public double[] backward(double[] gy, double[] weightGrad, double[] biasGrad) {
        int positions = outHeight * outWidth;
        double[] cols = new double[patch() * positions];
        double[] gcols = new double[patch() * positions];
        double[] gx = new double[input.length];
        for (int b = 0; b < batch; b++) {
            im2col(input, b, cols);
            Arrays.fill(gcols, 0);
            for (int o = 0; o < outputs; o++) {
                int yo = (b * outputs + o) * positions;
                double gb = 0;
                for (int p = 0; p < positions; p++) {
                    gb += gy[yo + p];
                }
                biasGrad[o] += gb;
                for (int q = 0; q < patch(); q++) {
                    int co = q * positions;
                    double s = 0;
                    double wq = used[o * patch() + q];
                    for (int p = 0; p < positions; p++) {
                        double g = gy[yo + p];
                        s += g * cols[co + p];
                        gcols[co + p] += wq * g;
                    }
                    weightGrad[o * patch() + q] += s;
                }
            }
            col2im(gcols, b, gx);
        }
        return gx;
    }

    /** cols[(c·k + i)·k + j][y'·Wₒ + x'] = x[b, c, s·y' + i − p, s·x' + j − p] (0 outside). */
    private void im2col(double[] x, int b, double[] cols) {
        int positions = outHeight * outWidth;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    int row = ((c * kernel + i) * kernel + j) * positions;
                    for (int oy = 0; oy < outHeight; oy++) {
                        int iy = oy * stride + i - padding;
                        for (int ox = 0; ox < outWidth; ox++) {
                            int ix = ox * stride + j - padding;
                            boolean inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
                            cols[row + oy * outWidth + ox] = inside ? x[((b * channels + c) * height + iy) * width + ix] : 0;
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: adds every column entry back to the pixel it came from. */
    private void col2im(double[] cols, int b, double[] gx) {
        int positions = outHeight * outWidth;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    int row = ((c * kernel + i) * kernel + j) * positions;
                    for (int oy = 0; oy < outHeight; oy++) {
                        int iy = oy * stride + i - padding;
                        if (iy < 0 || iy >= height) {
                            continue;
                        }
                        for (int ox = 0; ox < outWidth; ox++) {
                            int ix = ox * stride + j - padding;
                            if (ix >= 0 && ix < width) {
                                gx[((b * channels + c) * height + iy) * width + ix] += cols[row + oy * outWidth + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
