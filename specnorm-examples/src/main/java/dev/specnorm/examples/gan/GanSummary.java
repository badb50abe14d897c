package dev.specnorm.examples.gan;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One constraint's final measurements over its seeds, each as mean and sample standard deviation
 * s = sqrt(Σ(xᵢ − x̄)²/(n − 1)) (0 for one seed): modes covered, high-quality share, the mode histogram's KL
 * to uniform, the energy distance to real data, ∏σ of the
 * discriminator's matrices, largest ‖∇ₓD‖ over real data, and the wall time of one run.
 *
 * @param constraint the constraint's command-line name
 * @param strength   its λ or β (0 for none and sn)
 * @param seeds      how many runs
 */
public record GanSummary(
        String constraint,
        double strength,
        int seeds,
        Stat modes,
        Stat highQuality,
        Stat klUniform,
        Stat energyDistance,
        Stat lipschitzBound,
        Stat maxGradientNorm,
        Stat seconds) {

    /** A mean and a sample standard deviation. */
    public record Stat(double mean, double sd) {

        /** x̄ and s of {@code values} (s = 0 for fewer than two). */
        public static Stat of(double[] values) {
            if (values.length == 0) {
                throw new IllegalArgumentException("no values to summarize");
            }
            double mean = 0;
            for (double v : values) {
                mean += v / values.length;
            }
            double ss = 0;
            for (double v : values) {
                ss += (v - mean) * (v - mean);
            }
            return new Stat(mean, values.length < 2 ? 0 : Math.sqrt(ss / (values.length - 1)));
        }

        /** {@code mean ± sd} with four significant digits. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.4g ± %.2g", mean, sd);
        }
    }

    /** The summary of the last measurement of each run in {@code finals}, with each run's wall time. */
    public static GanSummary of(
            Constraint constraint, double strength, List<GanTrainer.Metrics> finals, double[] seconds) {
        return new GanSummary(
                constraint.cliName(),
                strength,
                finals.size(),
                stat(finals, GanTrainer.Metrics::modesCovered),
                stat(finals, GanTrainer.Metrics::highQuality),
                stat(finals, GanTrainer.Metrics::klUniform),
                stat(finals, GanTrainer.Metrics::energyDistance),
                stat(finals, GanTrainer.Metrics::lipschitzBound),
                stat(finals, GanTrainer.Metrics::maxGradientNorm),
                Stat.of(seconds));
    }

    private static Stat stat(List<GanTrainer.Metrics> finals, ToDoubleFunction<GanTrainer.Metrics> f) {
        return Stat.of(finals.stream().mapToDouble(f).toArray());
    }
}
