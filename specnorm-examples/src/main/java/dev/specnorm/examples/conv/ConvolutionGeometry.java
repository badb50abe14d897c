package dev.specnorm.examples.conv;

/**
 * The geometry of a 2-D convolution (cross-correlation, as PyTorch's {@code conv2d}) with zero padding p and
 * stride s: an input of {@code channels} planes of h×w, a kh×kw kernel, and the output planes of oh×ow,
 * oh = ⌊(h + 2p − kh)/s⌋ + 1, ow = ⌊(w + 2p − kw)/s⌋ + 1. Output position (i, j) reads, through kernel tap
 * (a, b), the input pixel ({@link #inputRow inputRow(i, a)}, {@link #inputColumn inputColumn(j, b)}) =
 * (i·s + a − p, j·s + b − p), or 0 where that lies outside the input. Shared by the operator of
 * {@link Convolution2d} and the training layer of the GAN examples.
 *
 * @param channels     input channels, ≥ 1
 * @param height       input height h, ≥ 1
 * @param width        input width w, ≥ 1
 * @param kernelHeight kh, ≥ 1, at most h + 2p
 * @param kernelWidth  kw, ≥ 1, at most w + 2p
 * @param stride       s, ≥ 1
 * @param padding      p, ≥ 0
 */
public record ConvolutionGeometry(
        int channels, int height, int width, int kernelHeight, int kernelWidth, int stride, int padding) {

    /** @throws IllegalArgumentException if a size is below its least value or the kernel does not fit */
    public ConvolutionGeometry {
        if (channels < 1
                || height < 1
                || width < 1
                || kernelHeight < 1
                || kernelWidth < 1
                || stride < 1
                || padding < 0
                || height + 2 * padding < kernelHeight
                || width + 2 * padding < kernelWidth) {
            throw new IllegalArgumentException("invalid convolution: " + channels + "×" + height + "×" + width
                    + " input, kernel " + kernelHeight + "×" + kernelWidth + ", stride " + stride + ", padding "
                    + padding + " (sizes and stride at least 1, padding at least 0, kernel within the padded input)");
        }
    }

    /** oh. */
    public int outHeight() {
        return (height + 2 * padding - kernelHeight) / stride + 1;
    }

    /** ow. */
    public int outWidth() {
        return (width + 2 * padding - kernelWidth) / stride + 1;
    }

    /** C·h·w. */
    public int inputLength() {
        return channels * height * width;
    }

    /** The input row that output row i reads through kernel row a: i·s + a − p (may lie outside). */
    public int inputRow(int i, int a) {
        return i * stride + a - padding;
    }

    /** The input column that output column j reads through kernel column b: j·s + b − p (may lie outside). */
    public int inputColumn(int j, int b) {
        return j * stride + b - padding;
    }
}
