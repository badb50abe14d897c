package dev.specnorm.examples.gan;

import dev.specnorm.api.MatrixBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The SN-GAN "standard CNN" discriminator for 32×32×3 images (Miyato et al., "Spectral Normalization for
 * Generative Adversarial Networks", ICLR 2018, Table 3): conv 3×3 s1 64, conv 4×4 s2 64, 3×3 128, 4×4 s2 128,
 * 3×3 256, 4×4 s2 256, 3×3 512 (padding 1, each followed by LeakyReLU(0.1)), then dense 512·4·4 → 1:
 * D(x) = w₈ᵀ flatten(φ(M₇ * … φ(M₁ * x + b₁) …) + b₇) + b₈, φ the leaky rectifier, * the convolution
 * by im2col ({@link Convolution}). Each layer's weight is one float32 matrix in the library's
 * {@code FILTERS} layout, out × (in·k·k) (the dense layer 1 × 8192), so that the whole network is one list
 * for the library's spectral normalization. The forward pass takes the matrices to use (Ŵₗ = Wₗ/σ̂ₗ); the
 * backward pass accumulates ∂L/∂(matrices used) and ∂L/∂b. {@code divisor} divides every channel count
 * (1: the paper's network; larger: the same architecture, smaller, for tests). {@link #digits} is the same
 * network reduced to 8×8×1 images at a quarter of its width: conv 3×3 s1 16, 4×4 s2 32, 3×3 s1 32, 4×4 s2 64, dense 64·2·2 → 1.
 */
public final class SnCnnDiscriminator {

    /** Side of the square input images. */
    public static final int SIDE = 32;
    /** Input channels. */
    public static final int CHANNELS = 3;
    /** Slope of the leaky rectifier in SN-GAN's standard CNN. */
    public static final double SLOPE = 0.1;
    /** Standard deviation of the initial weights (DCGAN's N(0, 0.02²)). */
    public static final double INIT_STD = 0.02;

    private static final int[][] CONVOLUTIONS = {
        // out, kernel, stride
        {64, 3, 1}, {64, 4, 2}, {128, 3, 1}, {128, 4, 2}, {256, 3, 1}, {256, 4, 2}, {512, 3, 1},
    };
    private static final int[][] DIGITS_CONVOLUTIONS = {{16, 3, 1}, {32, 4, 2}, {32, 3, 1}, {64, 4, 2}};

    private final List<Convolution> convolutions = new ArrayList<>();
    private final List<LeakyRelu> activations = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<float[]> weights = new ArrayList<>();
    private final List<float[]> biases = new ArrayList<>();
    private final List<double[]> weightGradients = new ArrayList<>();
    private final List<double[]> biasGradients = new ArrayList<>();
    private final List<int[]> shapes = new ArrayList<>();
    private final DenseLayer dense;
    private final int inputSize;
    private int batch;

    /**
     * The network with every channel count divided by {@code divisor}, weights N(0, 0.02²) from {@code seed},
     * zero biases.
     *
     * @throws IllegalArgumentException unless {@code divisor} is 1, 2, 4, 8, 16 or 32
     */
    public SnCnnDiscriminator(int divisor, long seed) {
        this(CONVOLUTIONS, CHANNELS, SIDE, checked(divisor), seed);
    }

    /** The network reduced to 8×8 grey images (see the class comment), weights N(0, 0.02²) from {@code seed}. */
    public static SnCnnDiscriminator digits(long seed) {
        return new SnCnnDiscriminator(DIGITS_CONVOLUTIONS, 1, 8, 1, seed);
    }

    private static int checked(int divisor) {
        if (divisor < 1 || divisor > 32 || Integer.bitCount(divisor) != 1) {
            throw new IllegalArgumentException("channel divisor must be 1, 2, 4, 8, 16 or 32, got " + divisor);
        }
        return divisor;
    }

    private SnCnnDiscriminator(int[][] table, int channels, int inputSide, int divisor, long seed) {
        Random random = new Random(seed);
        inputSize = channels * inputSide * inputSide;
        int in = channels;
        int side = inputSide;
        for (int i = 0; i < table.length; i++) {
            int out = table[i][0] / divisor;
            int k = table[i][1];
            int s = table[i][2];
            Convolution c = new Convolution(in, side, side, out, k, s, 1);
            convolutions.add(c);
            activations.add(new LeakyRelu(SLOPE));
            names.add("conv" + (i + 1) + " " + k + "x" + k + " s" + s + " " + in + "->" + out);
            weights.add(gaussian(random, out * c.patch()));
            biases.add(new float[out]);
            weightGradients.add(new double[out * c.patch()]);
            biasGradients.add(new double[out]);
            shapes.add(new int[] {out, c.patch()});
            in = out;
            side = c.outHeight();
        }
        int features = in * side * side;
        dense = new DenseLayer(features, 1, random::nextGaussian, 1.0);
        float[] w = gaussian(random, features);
        System.arraycopy(w, 0, dense.weight(), 0, features);
        names.add("dense " + features + "->1");
        weights.add(dense.weight());
        biases.add(dense.bias());
        weightGradients.add(dense.weightGradient());
        biasGradients.add(dense.biasGradient());
        shapes.add(new int[] {1, features});
    }

    private static float[] gaussian(Random random, int count) {
        float[] w = new float[count];
        for (int i = 0; i < count; i++) {
            w[i] = (float) (INIT_STD * random.nextGaussian());
        }
        return w;
    }

    /** Layer names, e.g. {@code conv2 4x4 s2 64->64}. */
    public List<String> names() {
        return names;
    }

    /** The parameters W (one float32 matrix per layer, FILTERS layout), modified in place by the optimizer. */
    public List<float[]> weights() {
        return weights;
    }

    /** The biases. */
    public List<float[]> biases() {
        return biases;
    }

    /** ∂L/∂(matrix used) per layer, accumulated since {@link #zeroGradients()}. */
    public List<double[]> weightGradients() {
        return weightGradients;
    }

    /** ∂L/∂b per layer. */
    public List<double[]> biasGradients() {
        return biasGradients;
    }

    /** The layers' weights as library matrices (views of {@link #weights()}). */
    public List<MatrixBatch> matrices() {
        return matrices(weights);
    }

    /** {@code arrays} (one per layer, of the layers' shapes) as library matrices, without copying. */
    public List<MatrixBatch> matrices(List<float[]> arrays) {
        List<MatrixBatch> m = new ArrayList<>();
        for (int l = 0; l < shapes.size(); l++) {
            m.add(MatrixBatch.of(arrays.get(l), shapes.get(l)[0], shapes.get(l)[1]));
        }
        return m;
    }

    /** Input values per image of the paper's network: 3·32·32. */
    public static int imageSize() {
        return CHANNELS * SIDE * SIDE;
    }

    /** Input values per image of this network (3·32·32, or 64 for {@link #digits}). */
    public int inputSize() {
        return inputSize;
    }

    /** D(x) for {@code images} (batch × C×H×W, row-major) with {@code used.get(l)} as layer l's matrix. */
    public double[] forward(double[] images, int batch, List<float[]> used) {
        if (used.size() != weights.size() || images.length != batch * inputSize) {
            throw new IllegalArgumentException("need " + weights.size() + " matrices and " + batch + "×" + inputSize
                    + " inputs, got " + used.size() + " and " + images.length);
        }
        this.batch = batch;
        double[] h = images;
        for (int l = 0; l < convolutions.size(); l++) {
            h = activations.get(l).forward(convolutions.get(l).forward(h, batch, used.get(l), biases.get(l)));
        }
        return dense.forward(h, batch, used.get(used.size() - 1));
    }

    /** Accumulates the gradients for ∂L/∂D = {@code gy} (one per image) and returns ∂L/∂x. */
    public double[] backward(double[] gy) {
        if (gy.length != batch) {
            throw new IllegalArgumentException("need " + batch + " output gradients, got " + gy.length);
        }
        double[] g = dense.backward(gy);
        for (int l = convolutions.size() - 1; l >= 0; l--) {
            g = convolutions
                    .get(l)
                    .backward(activations.get(l).backward(g), weightGradients.get(l), biasGradients.get(l));
        }
        return g;
    }

    /** Clears every accumulated gradient. */
    public void zeroGradients() {
        weightGradients.forEach(g -> Arrays.fill(g, 0));
        biasGradients.forEach(g -> Arrays.fill(g, 0));
    }
}
