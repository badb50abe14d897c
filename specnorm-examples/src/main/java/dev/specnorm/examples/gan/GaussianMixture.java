package dev.specnorm.examples.gan;

import java.util.Locale;
import java.util.Random;

/**
 * A mixture of equally weighted isotropic Gaussians in the plane, the toy problems of the mode-collapse papers:
 * {@link #ring()}, eight modes at radius 2, angles 2πk/8, standard deviation 0.02 (Metz et al., "Unrolled
 * Generative Adversarial Networks", ICLR 2017), and {@link #grid()}, 25 modes at (2i, 2j), i, j ∈ {−2, …, 2},
 * standard deviation 0.05 (Srivastava et al., VEEGAN 2017; Lin et al., PacGAN 2018).
 *
 * <p>Quality of generated samples ({@link #quality}): a sample is of high quality when it lies within three
 * standard deviations of a mode; a mode is covered when at least {@value #COVERED_SHARE_PERCENT}% of the
 * samples fall near it with high quality (PacGAN counts 20 of 2,500, i.e. 0.8%: we use 1%). Two measures
 * without a threshold: the mode histogram's KL(p ‖ u) = Σₖ pₖ log(M pₖ), pₖ the share of samples whose
 * nearest mode is k, u uniform over the M modes (0 for a balanced histogram, log M for one mode); and the
 * {@link #energyDistance energy distance} between generated and real samples.
 */
public final class GaussianMixture {

    /** Percentage of samples a mode needs to count as covered. */
    public static final int COVERED_SHARE_PERCENT = 1;

    private final String name;
    private final double[][] modes;
    private final double std;

    private GaussianMixture(String name, double[][] modes, double std) {
        this.name = name;
        this.modes = modes;
        this.std = std;
    }

    /** Eight Gaussians on a ring of radius 2, std 0.02. */
    public static GaussianMixture ring() {
        double[][] m = new double[8][];
        for (int k = 0; k < 8; k++) {
            double a = 2 * Math.PI * k / 8;
            m[k] = new double[] {2 * Math.cos(a), 2 * Math.sin(a)};
        }
        return new GaussianMixture("ring", m, 0.02);
    }

    /** 25 Gaussians on the 5×5 grid {−4, −2, 0, 2, 4}², std 0.05. */
    public static GaussianMixture grid() {
        double[][] m = new double[25][];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                m[5 * i + j] = new double[] {2.0 * (i - 2), 2.0 * (j - 2)};
            }
        }
        return new GaussianMixture("grid", m, 0.05);
    }

    /**
     * The mixture named {@code ring} or {@code grid} (any case).
     *
     * @throws IllegalArgumentException for another name
     */
    public static GaussianMixture fromName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "ring" -> ring();
            case "grid" -> grid();
            default -> throw new IllegalArgumentException("unknown problem '" + name + "': expected ring or grid");
        };
    }

    /** {@code ring} or {@code grid}. */
    public String name() {
        return name;
    }

    /** Number of modes M. */
    public int modeCount() {
        return modes.length;
    }

    /** Standard deviation of each mode in each coordinate. */
    public double std() {
        return std;
    }

    /** The centre of mode k. */
    public double[] mode(int k) {
        return modes[k].clone();
    }

    /** n samples, rows of (x, y). */
    public double[] sample(int n, Random random) {
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double[] c = modes[random.nextInt(modes.length)];
            out[2 * i] = c[0] + std * random.nextGaussian();
            out[2 * i + 1] = c[1] + std * random.nextGaussian();
        }
        return out;
    }

    /**
     * Quality of generated samples (rows of (x, y)).
     *
     * @param modesCovered modes holding at least {@value #COVERED_SHARE_PERCENT}% of the samples within 3σ
     * @param highQuality  share of samples within 3σ of some mode
     * @param klUniform    KL(p ‖ u) of the nearest-mode histogram p to the uniform u
     */
    public record Quality(int modesCovered, double highQuality, double klUniform) {}

    /** The quality of {@code samples}. */
    public Quality quality(double[] samples) {
        int n = samples.length / 2;
        int[] near = new int[modes.length];
        int[] nearest = new int[modes.length];
        int good = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int k = 0; k < modes.length; k++) {
                double d = Math.hypot(samples[2 * i] - modes[k][0], samples[2 * i + 1] - modes[k][1]);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = k;
                }
            }
            nearest[best]++;
            if (bestDistance <= 3 * std) {
                near[best]++;
                good++;
            }
        }
        int covered = 0;
        double kl = 0;
        for (int k = 0; k < modes.length; k++) {
            if (near[k] * 100L >= (long) COVERED_SHARE_PERCENT * n) {
                covered++;
            }
            if (nearest[k] > 0) {
                double p = nearest[k] / (double) n;
                kl += p * Math.log(modes.length * p);
            }
        }
        return new Quality(covered, n == 0 ? 0 : good / (double) n, n == 0 ? Double.NaN : kl);
    }

    /**
     * The energy distance (Székely &amp; Rizzo 2013) between the empirical distributions of x and y (rows of
     * (x, y)): 2·mean‖xᵢ − yⱼ‖ − mean_{i≠i'}‖xᵢ − xᵢ'‖ − mean_{j≠j'}‖yⱼ − yⱼ'‖, in float64; 0 in expectation when
     * both samples come from one distribution, positive otherwise.
     *
     * @throws IllegalArgumentException unless both hold at least two rows
     */
    public static double energyDistance(double[] x, double[] y) {
        int n = x.length / 2;
        int m = y.length / 2;
        if (n < 2 || m < 2) {
            throw new IllegalArgumentException("the energy distance needs at least two samples on each side");
        }
        return 2 * meanDistance(x, y) - withinMean(x) - withinMean(y);
    }

    private static double meanDistance(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i += 2) {
            for (int j = 0; j < y.length; j += 2) {
                s += Math.hypot(x[i] - y[j], x[i + 1] - y[j + 1]);
            }
        }
        int xPoints = x.length / 2;
        int yPoints = y.length / 2;
        return s / (xPoints * (double) yPoints);
    }

    private static double withinMean(double[] x) {
        int n = x.length / 2;
        double s = 0;
        for (int i = 0; i < x.length; i += 2) {
            for (int j = i + 2; j < x.length; j += 2) {
                s += Math.hypot(x[i] - x[j], x[i + 1] - x[j + 1]);
            }
        }
        return 2 * s / (n * (double) (n - 1));
    }
}
