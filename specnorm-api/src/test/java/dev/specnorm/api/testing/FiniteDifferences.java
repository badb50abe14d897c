package dev.specnorm.api.testing;

import java.util.function.ToDoubleFunction;

/**
 * Central finite differences in float64 of a float64 loss L(W), every other quantity (u, v, the
 * iteration state) held fixed by the caller's closure (SPEC.md "Accuracy expectations").
 *
 * <p>Each entry is differenced with step h and 2h; the difference of the two estimates bounds the
 * truncation error of the h estimate (it is O(h²), so D(h) − D(2h) ≈ −3·error), and 64·ε₆₄·L̄/h bounds the
 * rounding error, L̄ being the loss's absolute bound (the loss on |W| with subtractions made additions). {@link Estimate#error()} reports the sum, so a comparison with finite differences adds
 * it to SPEC.md's tolerance instead of guessing a looser one.
 */
public final class FiniteDifferences {

    private FiniteDifferences() {}

    /**
     * The gradient estimate and a bound on its own error, per entry.
     *
     * @param gradient the central-difference gradient with step h
     * @param error    per-entry bound on |gradient − exact gradient|
     */
    public record Estimate(Dense gradient, Dense error) {}

    /**
     * The central-difference gradient of {@code loss} at {@code w}, with step h = {@code relativeStep}·max|wᵢⱼ|
     * (or relativeStep when W = 0); {@code lossBound} is L̄, the scale of the loss's rounding error.
     */
    public static Estimate gradient(ToDoubleFunction<Dense> loss, Dense w, double relativeStep, double lossBound) {
        double scale = w.maxAbs();
        double h = relativeStep * (scale > 0 ? scale : 1);
        Dense g = Dense.zeros(w.rows, w.cols);
        Dense err = Dense.zeros(w.rows, w.cols);
        double[] x = w.a.clone();
        Dense probe = new Dense(w.rows, w.cols, x);
        for (int k = 0; k < x.length; k++) {
            double x0 = x[k];
            double[] f = new double[4];
            double[] steps = {h, -h, 2 * h, -2 * h};
            for (int s = 0; s < 4; s++) {
                x[k] = x0 + steps[s];
                f[s] = loss.applyAsDouble(probe);
            }
            x[k] = x0;
            double dh = (f[0] - f[1]) / (2 * h);
            double d2h = (f[2] - f[3]) / (4 * h);
            double rounding = 64 * 0x1.0p-52 * Math.max(lossBound, Math.abs(f[0]) + Math.abs(f[1])) / h;
            g.a[k] = dh;
            err.a[k] = Math.abs(dh - d2h) + rounding;
        }
        return new Estimate(g, err);
    }
}
