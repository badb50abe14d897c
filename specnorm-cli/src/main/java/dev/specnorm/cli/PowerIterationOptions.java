package dev.specnorm.cli;

import dev.specnorm.api.PowerOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --iterations}, {@code --warmup}, {@code --seed} and {@code --state} of power iteration. */
public final class PowerIterationOptions {

    /** Default iterations per call, as one training step does. */
    static final int DEFAULT_ITERATIONS = 1;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--iterations",
            order = 2,
            paramLabel = "K",
            description = "Power iterations to run (after the warm-up); 0 evaluates sigma = u'Wv with the "
                    + "stored vectors. Default: 1.")
    Integer iterations;

    @Option(
            names = "--warmup",
            order = 3,
            paramLabel = "N",
            description = "Iterations run when new state is created, as PyTorch's spectral-norm "
                    + "parametrization does. Default: 15.")
    Integer warmup;

    @Option(
            names = "--seed",
            order = 4,
            paramLabel = "S",
            description =
                    "Seed of the initial vectors (one stream per matrix, identical on every backend). " + "Default: 0.")
    Long seed;

    @Option(
            names = "--state",
            order = 5,
            paramLabel = "FILE",
            description = "Power-iteration state as an .npz of float32 u (B x m) and v (B x n). When FILE exists "
                    + "its vectors are the start (--seed and --warmup then do not apply); after success the "
                    + "new vectors are saved to it (written to a temporary file and renamed, so a failure "
                    + "leaves FILE untouched).")
    Path state;

    /** Iterations to run. */
    int iterations() {
        return iterations == null ? DEFAULT_ITERATIONS : iterations;
    }

    /** How new state starts. */
    PowerOptions options() {
        return new PowerOptions(seed == null ? 0 : seed, warmup == null ? PowerOptions.DEFAULT.warmup() : warmup, 1);
    }

    /** The state file, or null. */
    Path stateFile() {
        return state;
    }

    /** The options given on the command line, by name. */
    List<String> given() {
        List<String> names = new ArrayList<>();
        if (iterations != null) {
            names.add("--iterations");
        }
        if (warmup != null) {
            names.add("--warmup");
        }
        if (seed != null) {
            names.add("--seed");
        }
        if (state != null) {
            names.add("--state");
        }
        return names;
    }

    /** @throws CommandLine.ParameterException if a count is negative */
    void validate() {
        if (iterations != null && iterations < 0) {
            throw usage("--iterations must be at least 0, got " + iterations);
        }
        if (warmup != null && warmup < 0) {
            throw usage("--warmup must be at least 0, got " + warmup);
        }
    }

    /**
     * Where the state starts for {@code weights}: the state file when it exists, else fresh.
     *
     * @throws InvalidInputException if the state file is unreadable or does not fit the weights
     */
    PowerStart start(Weights weights) throws InvalidInputException {
        if (state != null && PowerStateFile.exists(state)) {
            return PowerStateFile.load(state, weights.shape());
        }
        return PowerStart.fresh(options());
    }

    /** Adds {@code iterations}, then {@code warmup} and {@code seed} (fresh state) and {@code state} to the JSON. */
    void describe(JsonReport report, PowerStart start) {
        report.put("iterations", iterations());
        if (!start.loaded()) {
            report.put("warmup", options().warmup()).put("seed", options().seed());
        }
        if (state != null) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("file", state);
            file.put("loaded", start.loaded());
            file.put("saved", true);
            report.put("state", file);
        }
    }

    /** How the iteration ran, for text output: where the state came from and how many iterations followed. */
    String describe(PowerStart start) {
        int k = iterations();
        return (start.loaded()
                        ? "state loaded from " + state
                        : "new state (seed " + options().seed() + ", "
                                + options().warmup() + " warm-up iterations)")
                + ", then " + k + (k == 1 ? " iteration" : " iterations");
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(mixee.commandLine(), message);
    }
}
