package dev.specnorm.examples;

import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.SeededGaussian;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The weights of the SN-GAN "standard CNN" discriminator for 32×32 images (Miyato et al., "Spectral
 * Normalization for Generative Adversarial Networks", ICLR 2018, Table 3): seven convolutions, 3×3
 * stride 1 and 4×4 stride 2 alternating, 3→64→64→128→128→256→256→512 channels, then a dense layer
 * 512·4·4→1. Entries are N(0, 0.02²), drawn with {@link SeededGaussian} (stream = layer index), so a seed
 * gives the same weights on every machine. Each layer is one matrix in the {@code FILTERS} reshape.
 */
public final class SnganDiscriminator {

    /** Standard deviation of the initial weights (DCGAN's N(0, 0.02²)). */
    public static final double INIT_STD = 0.02;

    /**
     * One layer.
     *
     * @param name        e.g. {@code conv2 4x4 s2}
     * @param weightShape (out, in, kh, kw) for a convolution, (out, in) for the dense layer
     * @param weights     the weights as one matrix
     */
    @SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString below use the arrays' contents
    public record Layer(String name, int[] weightShape, MatrixBatch weights) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Layer r
                    && Objects.equals(name, r.name)
                    && Arrays.equals(weightShape, r.weightShape)
                    && Objects.equals(weights, r.weights);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, Arrays.hashCode(weightShape), weights);
        }

        @Override
        public String toString() {
            return "Layer[name=" + name + ", weightShape=" + Arrays.toString(weightShape) + ", weights=" + weights
                    + "]";
        }
    }

    private static final int[][] CONVOLUTIONS = {
        // out, in, kernel, stride
        {64, 3, 3, 1},
        {64, 64, 4, 2},
        {128, 64, 3, 1},
        {128, 128, 4, 2},
        {256, 128, 3, 1},
        {256, 256, 4, 2},
        {512, 256, 3, 1},
    };

    private SnganDiscriminator() {}

    /** The eight layers' weights for {@code seed}. */
    public static List<Layer> layers(long seed) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < CONVOLUTIONS.length; i++) {
            int[] c = CONVOLUTIONS[i];
            int out = c[0];
            int in = c[1];
            int k = c[2];
            float[] w = gaussian(seed, i, out * in * k * k);
            layers.add(new Layer(
                    "conv" + (i + 1) + " " + k + "x" + k + " s" + c[3],
                    new int[] {out, in, k, k},
                    MatrixBatch.fromConvolution(w, out, in, k, k, ConvolutionReshape.FILTERS)));
        }
        int features = 512 * 4 * 4;
        layers.add(new Layer(
                "dense",
                new int[] {1, features},
                MatrixBatch.of(gaussian(seed, CONVOLUTIONS.length, features), 1, features)));
        return layers;
    }

    private static float[] gaussian(long seed, int layer, int count) {
        float[] w = new float[count];
        SeededGaussian stream = new SeededGaussian(seed, layer);
        for (int i = 0; i < count; i++) {
            w[i] = (float) (INIT_STD * stream.nextGaussian());
        }
        return w;
    }
}
