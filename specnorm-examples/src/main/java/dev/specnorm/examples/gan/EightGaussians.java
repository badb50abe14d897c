package dev.specnorm.examples.gan;

import java.util.Random;

/**
 * The mixture of eight Gaussians on a ring (Metz et al., "Unrolled Generative Adversarial Networks", ICLR
 * 2017): modes at radius 2, angles 2πk/8, standard deviation 0.02 in each coordinate. A generated sample is
 * of high quality when it lies within three standard deviations of a mode; a mode is covered when at least
 * {@value #COVERED_SHARE_PERCENT}% of the samples fall near it with high quality (Srivastava et al.,
 * VEEGAN 2017; Lin et al., PacGAN 2018 count 20 of 2,500, i.e. 0.8%: we use 1%).
 */
public final class EightGaussians {

    /** Radius of the ring. */
    public static final double RADIUS = 2.0;
    /** Standard deviation of each mode. */
    public static final double STD = 0.02;
    /** Percentage of samples a mode needs to count as covered. */
    public static final int COVERED_SHARE_PERCENT = 1;
    /** Number of modes. */
    public static final int MODES = 8;

    private EightGaussians() {
    }

    /** The centre of mode k: (R cos 2πk/8, R sin 2πk/8). */
    public static double[] mode(int k) {
        double a = 2 * Math.PI * k / MODES;
        return new double[] {RADIUS * Math.cos(a), RADIUS * Math.sin(a)};
    }

    /** n samples, rows of (x, y). */
    public static double[] sample(int n, Random random) {
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double[] c = mode(random.nextInt(MODES));
            out[2 * i] = c[0] + STD * random.nextGaussian();
            out[2 * i + 1] = c[1] + STD * random.nextGaussian();
        }
        return out;
    }

    /**
     * Quality of generated samples (rows of (x, y)).
     *
     * @param modesCovered modes holding at least {@value #COVERED_SHARE_PERCENT}% of the samples within 3σ
     * @param highQuality  share of samples within 3σ of some mode
     */
    public record Quality(int modesCovered, double highQuality) {
    }

    /** The quality of {@code samples}. */
    public static Quality quality(double[] samples) {
        int n = samples.length / 2;
        int[] near = new int[MODES];
        int good = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < MODES; k++) {
                double[] c = mode(k);
                double dx = samples[2 * i] - c[0];
                double dy = samples[2 * i + 1] - c[1];
                if (Math.sqrt(dx * dx + dy * dy) <= 3 * STD) {
                    near[k]++;
                    good++;
                    break;
                }
            }
        }
        int covered = 0;
        for (int k = 0; k < MODES; k++) {
            if (near[k] * 100L >= (long) COVERED_SHARE_PERCENT * n) {
                covered++;
            }
        }
        return new Quality(covered, n == 0 ? 0 : good / (double) n);
    }
}
