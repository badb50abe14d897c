package dev.specnorm.examples.gan;

/**
 * Nearest-neighbour upsampling by 2 of a batch of C×H×W images: y[b, c, i, j] = x[b, c, ⌊i/2⌋, ⌊j/2⌋], so
 * ∂L/∂x[b, c, i, j] is the sum of ∂L/∂y over the 2×2 block it was copied to. With a 3×3 convolution after it,
 * it replaces DCGAN's transposed convolution (the "resize-convolution" of Odena et al., Distill 2016).
 */
public final class NearestUpsample {

    private final int channels;
    private final int side;

    /** Upsampling of C×side×side images to C×2side×2side. @throws IllegalArgumentException for a size below 1 */
    public NearestUpsample(int channels, int side) {
        if (channels < 1 || side < 1) {
            throw new IllegalArgumentException("upsampling needs channels and side ≥ 1, got " + channels + ", " + side);
        }
        this.channels = channels;
        this.side = side;
    }

    /** y for {@code images} inputs (images × C × side × side). */
    public double[] forward(double[] x, int images) {
        int out = 2 * side;
        double[] y = new double[images * channels * out * out];
        for (int m = 0; m < images * channels; m++) {
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < out; j++) {
                    y[(m * out + i) * out + j] = x[(m * side + i / 2) * side + j / 2];
                }
            }
        }
        return y;
    }

    /** ∂L/∂x for ∂L/∂y = gy. */
    public double[] backward(double[] gy, int images) {
        int out = 2 * side;
        double[] gx = new double[images * channels * side * side];
        for (int m = 0; m < images * channels; m++) {
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < out; j++) {
                    gx[(m * side + i / 2) * side + j / 2] += gy[(m * out + i) * out + j];
                }
            }
        }
        return gx;
    }
}
