package dev.specnorm.cli;

import java.util.Arrays;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --repeat N}: run the operation N times in this process and report the median wall time. */
public final class RepeatOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--repeat",
            order = 70,
            paramLabel = "N",
            description = "Run the operation N times in this process (from the same starting state each time) "
                    + "and report the median and minimum wall time; adds \"timing\" to the JSON.")
    Integer repeat;

    /**
     * A result and, when {@code --repeat} was given, how long computing it took.
     *
     * @param result   the last run's result (every run computes the same)
     * @param runs     how many times it ran
     * @param medianMs the median wall time of one run, in milliseconds
     * @param minMs    the shortest run, in milliseconds
     * @param reported whether timing is reported ({@code --repeat} given)
     * @param <T>      the result type
     */
    public record Timed<T>(T result, int runs, double medianMs, double minMs, boolean reported) {}

    /**
     * Checks that N is at least 1.
     *
     * @throws CommandLine.ParameterException if N is below 1
     */
    public void validate() {
        if (repeat != null && repeat < 1) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--repeat must be at least 1, got " + repeat);
        }
    }

    /** Runs {@code operation} once, or N times with {@code --repeat N}. */
    public <T> Timed<T> run(Supplier<T> operation) {
        int runs = repeat == null ? 1 : repeat;
        double[] ms = new double[runs];
        T result = null;
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            result = operation.get();
            ms[r] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
        return new Timed<>(result, runs, median, ms[0], repeat != null);
    }
}
