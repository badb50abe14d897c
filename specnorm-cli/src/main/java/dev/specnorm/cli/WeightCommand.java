package dev.specnorm.cli;

import dev.specnorm.api.SpectralBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the commands that read a weight file share: the file and {@code --reshape}, {@code --backend},
 * {@code --repeat}, {@code --json}, {@code --verbose}, and the order of work: usage checks, then the input,
 * then the backend, then the computation; results are printed only after every output file was written.
 */
abstract class WeightCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    WeightInput input;

    @Mixin
    BackendOption backendOption;

    @Mixin
    RepeatOption repeat;

    @Mixin
    OutputOptions output;

    @Override
    public final Integer call() throws Exception {
        validate();
        repeat.validate();
        backendOption.requireKnown();
        Weights weights = load();
        try (SpectralBackend backend = backendOption.open()) {
            run(backend, weights);
        }
        return ExitCodes.OK;
    }

    /** Checks option values and combinations. @throws CommandLine.ParameterException if they are wrong */
    abstract void validate();

    /** Reads the input; the default applies {@code --reshape} (default filters). */
    Weights load() throws InvalidInputException {
        return input.load();
    }

    /** Computes, writes output files, and prints the result. */
    abstract void run(SpectralBackend backend, Weights weights) throws IOException, InvalidInputException;

    /** The command's standard output. */
    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** A usage error of this command (exit 2). */
    final CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * Checks that {@code path}, given with {@code option}, is not the input file: inputs are never modified.
     */
    final void requireNotInput(Path path, String option) {
        if (path != null && sameFile(path, input.file())) {
            throw usage(option + " " + path + " is the input file; inputs are never overwritten");
        }
    }

    /** Whether {@code a} and {@code b} name the same file (or would, once created). */
    static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** Prints the one-line description of the input and backend that starts text output. */
    final void printHeading(Weights weights, SpectralBackend backend) {
        out().println(weights.describe() + "; backend " + backend.name());
    }

    /** Prints one value per matrix as a two-column table: matrix index and {@code heading}. */
    final void printPerMatrix(String heading, float[] values) {
        TextTable table = new TextTable("matrix", heading);
        for (int k = 0; k < values.length; k++) {
            table.row(k, TextTable.value(values[k]));
        }
        table.print(out());
    }

    /** Prints the timing line of text output, when {@code --repeat} was given. */
    final void printTiming(RepeatOption.Timed<?> timed) {
        if (timed.reported()) {
            out().println("time: median " + TextTable.millis(timed.medianMs()) + ", min "
                    + TextTable.millis(timed.minMs()) + " over " + timed.runs() + " runs");
        }
    }
}
