package dev.specnorm.examples.gan;

import java.util.Random;

/** Random vectors and inner products for the gradient tests, in float64. */
final class TestVectors {

    private TestVectors() {}

    /** n draws of N(0, 1) from {@code random}. */
    static double[] gaussian(Random random, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
        }
        return x;
    }

    /** Σ aᵢbᵢ in double precision. */
    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
