package dev.specnorm.examples.gan;

import java.util.Arrays;

/**
 * Sample quality of generated images against real ones without a trained network, in pixel space:
 * <ul>
 *   <li>precision and recall of Kynkäänniemi et al., "Improved Precision and Recall Metric for Assessing
 *       Generative Models" (NeurIPS 2019): each sample x of a set S gets the radius r_S(x), the Euclidean
 *       distance to its k-th nearest neighbour in S (itself excluded); precision is the share of generated
 *       images within r(x) of some real image x, recall the share of real images within r(y) of some
 *       generated image y;</li>
 *   <li>the digit classes of the generated images, each labelled with its nearest real image's digit:
 *       classes covered (at least {@value #COVERED_SHARE_PERCENT}% of the images) and the histogram's
 *       KL(p ‖ u) = Σ pₖ log(10 pₖ) to uniform.</li>
 * </ul>
 *
 * @param precision      share of generated images inside the real manifold
 * @param recall         share of real images inside the generated manifold
 * @param classesCovered digits with at least {@value #COVERED_SHARE_PERCENT}% of the nearest-real labels
 * @param klUniform      KL of the nearest-real label histogram to uniform over 10 digits
 */
public record ImageQuality(double precision, double recall, int classesCovered, double klUniform) {

    /** Neighbour rank of the radii (the paper's k = 3). */
    public static final int K = 3;
    /** Percentage of the generated images a digit needs to count as covered. */
    public static final int COVERED_SHARE_PERCENT = 2;

    /**
     * The quality of {@code generated} (rows of {@code dim}) against {@code real} with labels {@code labels}.
     *
     * @throws IllegalArgumentException if a set has no more than {@link #K} rows or the lengths do not match
     */
    public static ImageQuality of(double[] generated, double[] real, int[] labels, int dim) {
        int g = generated.length / dim;
        int r = real.length / dim;
        if (g <= K || r <= K || generated.length != g * dim || real.length != r * dim || labels.length != r) {
            throw new IllegalArgumentException(
                    "need more than " + K + " rows of " + dim + " in each set and a label per real row");
        }
        double[][] rg = squaredDistances(real, r, generated, g, dim);
        double[] realRadius = kthNeighbour(squaredDistances(real, r, real, r, dim));
        double[] fakeRadius = kthNeighbour(squaredDistances(generated, g, generated, g, dim));
        int inside = 0;
        int[] counts = new int[10];
        for (int j = 0; j < g; j++) {
            boolean in = false;
            int nearest = 0;
            for (int i = 0; i < r; i++) {
                in |= rg[i][j] <= realRadius[i];
                if (rg[i][j] < rg[nearest][j]) {
                    nearest = i;
                }
            }
            inside += in ? 1 : 0;
            counts[labels[nearest]]++;
        }
        int covered = 0;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < g; j++) {
                if (rg[i][j] <= fakeRadius[j]) {
                    covered++;
                    break;
                }
            }
        }
        int classes = 0;
        double kl = 0;
        for (int c : counts) {
            double p = c / (double) g;
            classes += 100.0 * c >= COVERED_SHARE_PERCENT * g ? 1 : 0;
            kl += p > 0 ? p * Math.log(10 * p) : 0;
        }
        return new ImageQuality(inside / (double) g, covered / (double) r, classes, kl);
    }

    /** d[i][j] = ‖aᵢ − bⱼ‖². */
    private static double[][] squaredDistances(double[] a, int na, double[] b, int nb, int dim) {
        double[][] d = new double[na][nb];
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    double t = a[i * dim + k] - b[j * dim + k];
                    s += t * t;
                }
                d[i][j] = s;
            }
        }
        return d;
    }

    /** Each row's k-th smallest squared distance to the others (the diagonal, itself, left out). */
    private static double[] kthNeighbour(double[][] d) {
        double[] radius = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            double[] row = new double[d.length - 1];
            for (int j = 0, n = 0; j < d.length; j++) {
                if (j != i) {
                    row[n++] = d[i][j];
                }
            }
            Arrays.sort(row);
            radius[i] = row[K - 1];
        }
        return radius;
    }
}
