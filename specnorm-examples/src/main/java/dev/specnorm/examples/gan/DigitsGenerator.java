package dev.specnorm.examples.gan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A DCGAN-style generator of 8×8 grey images (Radford et al., ICLR 2016: ReLU inside, tanh at the output,
 * resolution doubled per block), without batch normalization and with resize-convolutions
 * ({@link NearestUpsample} then a 3×3 convolution) in place of transposed convolutions:
 * z ∈ R³² ~ N(0, I) → dense → c₀×2×2, ReLU → up ×2, conv 3×3 → c₁×4×4, ReLU → up ×2, conv 3×3 → c₂×8×8, ReLU →
 * conv 3×3 → 1×8×8, tanh. The convolutions are {@link Convolution}s (im2col and a GEMM); weights He-initialized
 * N(0, 2/fan-in), biases 0.
 */
public final class DigitsGenerator {

    /** Latent dimension. */
    public static final int LATENT = 32;

    private final int[] widths;
    private final DenseLayer dense;
    private final LeakyRelu relu0 = new LeakyRelu(0);
    private final NearestUpsample up1;
    private final Convolution conv1;
    private final LeakyRelu relu1 = new LeakyRelu(0);
    private final NearestUpsample up2;
    private final Convolution conv2;
    private final LeakyRelu relu2 = new LeakyRelu(0);
    private final Convolution conv3;
    private final List<float[]> weights = new ArrayList<>();
    private final List<float[]> biases = new ArrayList<>();
    private final List<double[]> weightGradients = new ArrayList<>();
    private final List<double[]> biasGradients = new ArrayList<>();
    private double[] output = new double[0];
    private int batch;

    /**
     * A generator with channel widths c₀, c₁, c₂ (e.g. 64, 32, 16), weights from {@code seed}.
     *
     * @throws IllegalArgumentException unless there are three widths ≥ 1
     */
    public DigitsGenerator(int[] widths, long seed) {
        if (widths.length != 3 || Arrays.stream(widths).anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException(
                    "the generator needs three channel widths ≥ 1, got " + Arrays.toString(widths));
        }
        this.widths = widths.clone();
        Random random = new Random(seed);
        dense = new DenseLayer(LATENT, widths[0] * 4, random::nextGaussian, 1.0);
        up1 = new NearestUpsample(widths[0], 2);
        conv1 = new Convolution(widths[0], 4, 4, widths[1], 3, 1, 1);
        up2 = new NearestUpsample(widths[1], 4);
        conv2 = new Convolution(widths[1], 8, 8, widths[2], 3, 1, 1);
        conv3 = new Convolution(widths[2], 8, 8, 1, 3, 1, 1);
        List<Convolution> convolutions = List.of(conv1, conv2, conv3);
        int[] outs = {widths[1], widths[2], 1};
        for (int l = 0; l < convolutions.size(); l++) {
            Convolution c = convolutions.get(l);
            int out = outs[l];
            float[] w = new float[out * c.patch()];
            double std = Math.sqrt(2.0 / c.patch());
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (std * random.nextGaussian());
            }
            weights.add(w);
            biases.add(new float[out]);
            weightGradients.add(new double[w.length]);
            biasGradients.add(new double[out]);
        }
    }

    /** Every parameter array (dense W, b, then each convolution's W and b), updated in place by the optimizer. */
    public List<float[]> parameters() {
        List<float[]> p = new ArrayList<>(List.of(dense.weight(), dense.bias()));
        for (int l = 0; l < weights.size(); l++) {
            p.add(weights.get(l));
            p.add(biases.get(l));
        }
        return p;
    }

    /** ∂L/∂(each of {@link #parameters()}), in the same order, accumulated since {@link #zeroGradients()}. */
    public List<double[]> gradients() {
        List<double[]> g = new ArrayList<>(List.of(dense.weightGradient(), dense.biasGradient()));
        for (int l = 0; l < weights.size(); l++) {
            g.add(weightGradients.get(l));
            g.add(biasGradients.get(l));
        }
        return g;
    }

    /** Images (rows × 64, values in (−1, 1)) for latent rows z (rows × {@value #LATENT}). */
    public double[] forward(double[] z, int rows) {
        batch = rows;
        double[] h = relu0.forward(dense.forward(z, rows));
        h = relu1.forward(conv1.forward(up1.forward(h, rows), rows, weights.get(0), biases.get(0)));
        h = relu2.forward(conv2.forward(up2.forward(h, rows), rows, weights.get(1), biases.get(1)));
        h = conv3.forward(h, rows, weights.get(2), biases.get(2));
        for (int i = 0; i < h.length; i++) {
            h[i] = Math.tanh(h[i]);
        }
        output = h;
        return h.clone();
    }

    /** Accumulates the parameters' gradients for ∂L/∂images = gy (tanh' = 1 − y²) and returns ∂L/∂z. */
    public double[] backward(double[] gy) {
        if (gy.length != output.length) {
            throw new IllegalArgumentException("need " + output.length + " image gradients, got " + gy.length);
        }
        double[] g = new double[gy.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = gy[i] * (1 - output[i] * output[i]);
        }
        g = relu2.backward(conv3.backward(g, weightGradients.get(2), biasGradients.get(2)));
        g = relu1.backward(up2.backward(conv2.backward(g, weightGradients.get(1), biasGradients.get(1)), batch));
        g = relu0.backward(up1.backward(conv1.backward(g, weightGradients.get(0), biasGradients.get(0)), batch));
        return dense.backward(g);
    }

    /** Clears every accumulated gradient. */
    public void zeroGradients() {
        gradients().forEach(g -> Arrays.fill(g, 0));
    }

    /** The channel widths c₀, c₁, c₂. */
    public int[] widths() {
        return widths.clone();
    }
}
