package dev.specnorm.examples.gan;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * Labeled 3×32×32 images for training a discriminator alone, generated from a seed. "Real" images (label 1)
 * are smooth: channel c is aᶜ·sin(2π(fₓx + f_y y)/32 + φᶜ) with integer frequencies fₓ, f_y ∈ {0, 1, 2}
 * (not both 0), amplitudes aᶜ ~ U(0.5, 1) and phases φᶜ ~ U(0, 2π), plus N(0, 0.05²) pixel noise. "Fake"
 * images (label 0) are pixel noise N(0, 0.5²), with about the same mean power, so only the spatial structure
 * tells them apart: a rule a convolutional discriminator can learn, so its loss can fall.
 */
public final class SyntheticImages {

    private SyntheticImages() {}

    /**
     * A batch of {@code n} images (n×3×32×32, row-major) with labels: image i is real when i is even.
     *
     * @param images rows of 3·32·32 values
     * @param labels 1 for real, 0 for fake
     */
    @SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString below use the arrays' contents
    public record Batch(double[] images, double[] labels) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Batch r && Arrays.equals(images, r.images) && Arrays.equals(labels, r.labels);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(images), Arrays.hashCode(labels));
        }

        @Override
        public String toString() {
            return "Batch[images=" + Arrays.toString(images) + ", labels=" + Arrays.toString(labels) + "]";
        }
    }

    /** {@code n} images, alternately real and fake. */
    public static Batch batch(int n, Random random) {
        int side = SnCnnDiscriminator.SIDE;
        int size = SnCnnDiscriminator.imageSize();
        double[] x = new double[n * size];
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            boolean real = i % 2 == 0;
            labels[i] = real ? 1 : 0;
            int fx;
            int fy;
            do {
                fx = random.nextInt(3);
                fy = random.nextInt(3);
            } while (fx == 0 && fy == 0);
            for (int c = 0; c < SnCnnDiscriminator.CHANNELS; c++) {
                double a = 0.5 + 0.5 * random.nextDouble();
                double phase = 2 * Math.PI * random.nextDouble();
                int base = i * size + c * side * side;
                for (int y = 0; y < side; y++) {
                    for (int xx = 0; xx < side; xx++) {
                        x[base + y * side + xx] = real
                                ? a * Math.sin(2 * Math.PI * (fx * xx + fy * y) / side + phase)
                                        + 0.05 * random.nextGaussian()
                                : 0.5 * random.nextGaussian();
                    }
                }
            }
        }
        return new Batch(x, labels);
    }
}
