package dev.specnorm.examples.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The distribution of the relative error per (group, mode, k, j): count, median, 90th percentile
 * (nearest rank), max, and the number of samples breaking σ̂ ≤ σ(1 + 1e-6); and per gap group the
 * convergence law: the fitted decay of the median error per iteration against SPEC.md's ρ^(4k).
 */
public final class Summary {

    /** Errors at or below this are at the float32 floor and left out of the decay fit. */
    public static final double FLOOR = 1e-6;

    /**
     * One cell of the summary table.
     *
     * @param gap median of the samples' exact σ₂/σ₁
     */
    public record Stat(
            String group,
            String mode,
            int k,
            int j,
            int count,
            double gap,
            double median,
            double p90,
            double max,
            int violations) {}

    /**
     * The convergence of one group from a cold start.
     *
     * @param gap          median σ₂/σ₁
     * @param fittedLog10  least-squares slope of log10(median error) per iteration, over the k whose median
     *                     error is above {@link #FLOOR} (NaN with fewer than two such k)
     * @param tailLog10    the slope between the last two k whose median error is above {@link #FLOOR} (the
     *                     asymptotic rate, where the other singular values have died out; NaN without two)
     * @param predictedLog10 4·log10(gap), SPEC.md's ρ^(4k)
     * @param kFor1e3      the first measured k whose max error is ≤ 1e-3 (−1: none)
     * @param kFor1e5      the first measured k whose max error is ≤ 1e-5 (−1: none)
     */
    public record Law(
            String group,
            String mode,
            double gap,
            double fittedLog10,
            double tailLog10,
            double predictedLog10,
            int kFor1e3,
            int kFor1e5) {}

    private Summary() {}

    /** The statistics, in the order the groups first appear. */
    public static List<Stat> stats(List<Sample> samples) {
        Map<String, List<Sample>> cells = new LinkedHashMap<>();
        for (Sample s : samples) {
            cells.computeIfAbsent(
                            s.group() + "\u0000" + s.mode() + "\u0000" + s.k() + "\u0000" + s.j(),
                            key -> new ArrayList<>())
                    .add(s);
        }
        List<Stat> out = new ArrayList<>();
        for (List<Sample> cell : cells.values()) {
            double[] err =
                    cell.stream().mapToDouble(Sample::relativeError).sorted().toArray();
            double[] gaps = cell.stream()
                    .mapToDouble(Sample::gap)
                    .filter(g -> !Double.isNaN(g))
                    .sorted()
                    .toArray();
            int violations = (int) cell.stream().filter(s -> !s.withinBound()).count();
            Sample first = cell.get(0);
            out.add(new Stat(
                    first.group(),
                    first.mode(),
                    first.k(),
                    first.j(),
                    err.length,
                    gaps.length == 0 ? Double.NaN : median(gaps),
                    median(err),
                    percentile(err, 0.9),
                    err[err.length - 1],
                    violations));
        }
        return out;
    }

    /** The law per group and mode (cold, warm), σ₁ only. */
    public static List<Law> laws(List<Stat> stats) {
        Map<String, List<Stat>> byGroup = new LinkedHashMap<>();
        for (Stat s : stats) {
            if (s.j() == 1 && !s.mode().equals("topk")) {
                byGroup.computeIfAbsent(s.group() + "\u0000" + s.mode(), key -> new ArrayList<>())
                        .add(s);
            }
        }
        List<Law> out = new ArrayList<>();
        for (List<Stat> g : byGroup.values()) {
            double n = 0;
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            Stat last = null;
            Stat beforeLast = null;
            int k3 = -1;
            int k5 = -1;
            for (Stat s : g) {
                if (s.median() > FLOOR) {
                    beforeLast = last;
                    last = s;
                    double y = Math.log10(s.median());
                    n++;
                    sx += s.k();
                    sy += y;
                    sxx += (double) s.k() * s.k();
                    sxy += s.k() * y;
                }
                if (k3 < 0 && s.max() <= 1e-3) {
                    k3 = s.k();
                }
                if (k5 < 0 && s.max() <= 1e-5) {
                    k5 = s.k();
                }
            }
            double slope = n >= 2 && n * sxx - sx * sx > 0 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : Double.NaN;
            double gap = g.get(0).gap();
            double tail = beforeLast == null
                    ? Double.NaN
                    : (Math.log10(last.median()) - Math.log10(beforeLast.median())) / (last.k() - beforeLast.k());
            out.add(new Law(g.get(0).group(), g.get(0).mode(), gap, slope, tail, 4 * Math.log10(gap), k3, k5));
        }
        return out;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** A sorted copy. */
    static double[] sorted(double[] x) {
        double[] y = x.clone();
        Arrays.sort(y);
        return y;
    }
}
