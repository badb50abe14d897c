package dev.specnorm.examples.gan;

import dev.specnorm.examples.conv.ConvolutionGeometry;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A 2-D convolution (cross-correlation, as in PyTorch) of a batch of images B×C×H×W (float64, row-major)
 * with a weight of out×(C·k·k) in float32 — the {@code FILTERS} reshape of an (out, C, k, k) kernel, so the
 * library normalizes it as one matrix — stride s and zero padding p, by im2col and a matrix product:
 * y[b, o, y', x'] = bias[o] + Σ_{c,i,j} W[o, (c·k + i)·k + j] · x[b, c, s·y' + i − p, s·x' + j − p],
 * output Hₒ = (H + 2p − k)/s + 1. The columns of the whole batch form one (C·k·k)×(B·Hₒ·Wₒ) matrix, so
 * each pass is one matrix product by EJML's blocked GEMM ({@code CommonOps_DDRM}, float64): Y = W·cols;
 * backward ∂L/∂W = (∂L/∂Y) colsᵀ, ∂L/∂x = col2im(Wᵀ ∂L/∂Y). The columns are kept from the forward pass.
 */
public final class Convolution {

    private final int channels;
    private final int outputs;
    private final int kernel;
    private final ConvolutionGeometry geometry;
    private final int height;
    private final int width;
    private final int outHeight;
    private final int outWidth;
    private DMatrixRMaj cols;
    private DMatrixRMaj used;
    private int batch;

    /**
     * A convolution of C×H×W inputs into {@code outputs} channels with a k×k kernel.
     *
     * @throws IllegalArgumentException if {@link ConvolutionGeometry} refuses the sizes or outputs &lt; 1
     */
    public Convolution(int channels, int height, int width, int outputs, int kernel, int stride, int padding) {
        if (outputs < 1) {
            throw new IllegalArgumentException("output channels must be at least 1, got " + outputs);
        }
        this.geometry = new ConvolutionGeometry(channels, height, width, kernel, kernel, stride, padding);
        this.channels = channels;
        this.outputs = outputs;
        this.kernel = kernel;
        this.height = height;
        this.width = width;
        this.outHeight = geometry.outHeight();
        this.outWidth = geometry.outWidth();
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
        batch = images;
        int positions = outHeight * outWidth;
        int n = images * positions;
        cols = new DMatrixRMaj(patch(), n);
        for (int b = 0; b < images; b++) {
            im2col(x, b, cols.data, n);
        }
        used = new DMatrixRMaj(outputs, patch());
        for (int i = 0; i < w.length; i++) {
            used.data[i] = w[i];
        }
        DMatrixRMaj product = new DMatrixRMaj(outputs, n);
        CommonOps_DDRM.mult(used, cols, product);
        double[] y = new double[images * outputs * positions];
        for (int o = 0; o < outputs; o++) {
            for (int b = 0; b < images; b++) {
                System.arraycopy(product.data, o * n + b * positions, y, (b * outputs + o) * positions, positions);
                for (int p = (b * outputs + o) * positions, end = p + positions; p < end; p++) {
                    y[p] += bias[o];
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
        int n = batch * positions;
        if (gy.length != outputs * n || weightGrad.length != outputs * patch() || biasGrad.length != outputs) {
            throw new IllegalArgumentException("convolution gradients do not match the last forward pass");
        }
        DMatrixRMaj g = new DMatrixRMaj(outputs, n);
        for (int o = 0; o < outputs; o++) {
            double sum = 0;
            for (int b = 0; b < batch; b++) {
                int from = (b * outputs + o) * positions;
                System.arraycopy(gy, from, g.data, o * n + b * positions, positions);
                for (int p = from; p < from + positions; p++) {
                    sum += gy[p];
                }
            }
            biasGrad[o] += sum;
        }
        CommonOps_DDRM.multAddTransB(g, cols, DMatrixRMaj.wrap(outputs, patch(), weightGrad));
        DMatrixRMaj gcols = new DMatrixRMaj(patch(), n);
        CommonOps_DDRM.multTransA(used, g, gcols);
        double[] gx = new double[batch * channels * height * width];
        for (int b = 0; b < batch; b++) {
            col2im(gcols.data, b, gx, n);
        }
        return gx;
    }

    /**
     * cols[(c·k + i)·k + j][b·Hₒ·Wₒ + y'·Wₒ + x'] = x[b, c, s·y' + i − p, s·x' + j − p] (0 outside), rows of
     * length n = batch·Hₒ·Wₒ.
     */
    private void im2col(double[] x, int b, double[] cols, int n) {
        int positions = outHeight * outWidth;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    int row = ((c * kernel + i) * kernel + j) * n + b * positions;
                    for (int oy = 0; oy < outHeight; oy++) {
                        int iy = geometry.inputRow(oy, i);
                        for (int ox = 0; ox < outWidth; ox++) {
                            int ix = geometry.inputColumn(ox, j);
                            boolean inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
                            cols[row + oy * outWidth + ox] =
                                    inside ? x[((b * channels + c) * height + iy) * width + ix] : 0;
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: adds image b's column entries back to the pixels they came from. */
    private void col2im(double[] cols, int b, double[] gx, int n) {
        int positions = outHeight * outWidth;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    int row = ((c * kernel + i) * kernel + j) * n + b * positions;
                    for (int oy = 0; oy < outHeight; oy++) {
                        int iy = geometry.inputRow(oy, i);
                        if (iy < 0 || iy >= height) {
                            continue;
                        }
                        for (int ox = 0; ox < outWidth; ox++) {
                            int ix = geometry.inputColumn(ox, j);
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
