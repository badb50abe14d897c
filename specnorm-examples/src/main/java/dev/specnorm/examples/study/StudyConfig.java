package dev.specnorm.examples.study;

import java.util.List;

/**
 * What a study runs. {@link #defaults(boolean)} gives the default study and the {@code --quick} one.
 *
 * @param populations       of {@code gaussian}, {@code gap}, {@code sngan} (ignored with user input)
 * @param sizes             the Gaussian population's sides n: n×n, n×n/4 and n/4×n matrices
 * @param iterations        the k at which power iteration is measured, ascending
 * @param seed              seeds every matrix, start vector and drift
 * @param delta             the warm runs' drift W ← W + δ‖W‖_F/√(mn)·N(0, 1) per step
 * @param burnIn            warm runs: drift steps with one iteration each before measuring
 * @param gapRows           rows of the prescribed-spectrum matrices
 * @param gapCols           their columns
 * @param gapSamples        matrices per gap
 * @param snganWidthDivisor the SN-GAN channel counts are divided by this (1: the real network)
 * @param maxSlices         at most this many SLICES matrices per conv layer (evenly spaced)
 * @param topK              singular values tracked by deflated power iteration
 * @param warmMaxSide       warm runs only for matrices with both sides at most this
 * @param convMaxIterations cap of the operator power iteration (tolerance 1e-6)
 */
public record StudyConfig(
        List<String> populations,
        List<Integer> sizes,
        List<Integer> iterations,
        long seed,
        double delta,
        int burnIn,
        int gapRows,
        int gapCols,
        int gapSamples,
        int snganWidthDivisor,
        int maxSlices,
        int topK,
        int warmMaxSide,
        int convMaxIterations) {

    /** Every generated population. */
    public static final List<String> POPULATIONS = List.of("gaussian", "gap", "sngan");

    /** The power-iteration counts every study population is measured at. */
    public static final List<Integer> ITERATIONS = List.of(1, 2, 5, 10, 20, 50, 100);

    /** The gaps σ₂/σ₁ of the prescribed-spectrum population (and a repeated top value). */
    public static final List<Double> GAPS = List.of(0.5, 0.9, 0.99, 0.999);

    public StudyConfig {
        populations = List.copyOf(populations);
        sizes = List.copyOf(sizes);
        iterations = List.copyOf(iterations);
    }

    /** The default study, or the {@code --quick} one (small sizes, SN-GAN channels / 8). */
    public static StudyConfig defaults(boolean quick) {
        if (quick) {
            return new StudyConfig(
                    POPULATIONS, List.of(32, 64, 128), ITERATIONS, 0, 1e-3, 200, 64, 32, 4, 8, 64, 4, 1024, 1000);
        }
        return new StudyConfig(
                POPULATIONS,
                List.of(128, 256, 512, 1024, 2048),
                ITERATIONS,
                0,
                1e-3,
                200,
                256,
                128,
                8,
                1,
                512,
                4,
                1024,
                1000);
    }

    /** The same with other values where given (null: keep). */
    public StudyConfig with(
            List<String> newPopulations,
            List<Integer> newSizes,
            List<Integer> newIterations,
            Long newSeed,
            Double newDelta) {
        return new StudyConfig(
                newPopulations == null ? populations : newPopulations,
                newSizes == null ? sizes : newSizes,
                newIterations == null ? iterations : newIterations,
                newSeed == null ? seed : newSeed,
                newDelta == null ? delta : newDelta,
                burnIn,
                gapRows,
                gapCols,
                gapSamples,
                snganWidthDivisor,
                maxSlices,
                topK,
                warmMaxSide,
                convMaxIterations);
    }
}
