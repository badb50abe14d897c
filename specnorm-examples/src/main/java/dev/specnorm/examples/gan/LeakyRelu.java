package dev.specnorm.examples.gan;

/**
 * The leaky rectifier f(x) = x for x &gt; 0, αx otherwise (Maas et al. 2013; α = 0.2 in DCGAN and SN-GAN's
 * discriminators, 0.1 in SN-GAN's standard CNN), applied element-wise; f'(x) = 1 or α.
 */
public final class LeakyRelu {

    private final double slope;
    private double[] input = new double[0];

    /** @throws IllegalArgumentException unless 0 ≤ slope &lt; 1 */
    public LeakyRelu(double slope) {
        if (!(slope >= 0 && slope < 1)) {
            throw new IllegalArgumentException("slope must be in [0, 1), got " + slope);
        }
        this.slope = slope;
    }

    /** f(x), remembering x for {@link #backward}. */
    public double[] forward(double[] x) {
        input = x.clone();
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0 ? x[i] : slope * x[i];
        }
        return y;
    }

    /** ∂L/∂x = ∂L/∂y ⊙ f'(x). */
    public double[] backward(double[] gy) {
        double[] gx = new double[gy.length];
        for (int i = 0; i < gy.length; i++) {
            gx[i] = input[i] > 0 ? gy[i] : slope * gy[i];
        }
        return gx;
    }
}
