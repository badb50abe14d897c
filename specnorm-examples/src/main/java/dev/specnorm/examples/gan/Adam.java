package dev.specnorm.examples.gan;

/**
 * Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) for one float32 parameter
 * array: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − lr·m̂/(√v̂ + ε) with the bias corrections
 * m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ). GANs use β₁ = 0.5 (Radford et al. 2016; Miyato et al. 2018 use 0.5 or 0).
 */
public final class Adam {

    private final double rate;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double[] m;
    private final double[] v;
    private int t;

    /** @throws IllegalArgumentException for a non-positive rate, betas outside [0, 1) or a non-positive eps */
    public Adam(int size, double rate, double beta1, double beta2, double eps) {
        if (!(rate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
            throw new IllegalArgumentException("Adam needs rate > 0, 0 ≤ β₁, β₂ < 1, ε > 0; got " + rate + ", " + beta1
                    + ", " + beta2 + ", " + eps);
        }
        this.rate = rate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        m = new double[size];
        v = new double[size];
    }

    /** One update of {@code param} with gradient {@code grad} (same length) at the optimizer's rate. */
    public void step(float[] param, double[] grad) {
        step(param, grad, rate);
    }

    /** One update at the rate {@code lr} in place of the optimizer's own (a schedule's rate for this step). */
    public void step(float[] param, double[] grad, double lr) {
        if (param.length != m.length || grad.length != m.length) {
            throw new IllegalArgumentException("Adam made for " + m.length + " parameters, given " + param.length
                    + " and gradient " + grad.length);
        }
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < param.length; i++) {
            double g = grad[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            param[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps));
        }
    }
}
