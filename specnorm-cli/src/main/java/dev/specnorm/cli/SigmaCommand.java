package dev.specnorm.cli;

import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code specnorm sigma}: the spectral norm σ₁ of every matrix, exactly, by power iteration, or by Lanczos. */
@Command(
        name = "sigma",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = SpecnormVersion.class,
        header = "Spectral norm sigma_1 = ||W||_2 of every matrix in an .npy file.",
        descriptionHeading = "%n",
        description = {
            "exact: from the singular value decomposition (LAPACK-quality). "
                    + "power: power iteration as in SN-GAN (v <- W'u / ||W'u||, u <- Wv / ||Wv||, sigma = u'Wv) "
                    + "from seeded vectors after --warmup iterations, or continuing from --state; the estimate "
                    + "is a lower bound. lanczos: Golub-Kahan-Lanczos bidiagonalization to a relative tolerance, "
                    + "with a residual bound on its error.",
            "",
            "Example: specnorm sigma w.npy --method power --iterations 1 --state w-state.npz"
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE, ExitCodes.INVALID_INPUT_LINE})
public final class SigmaCommand extends WeightCommand {

    /** How σ₁ is computed. */
    enum Method {
        EXACT,
        POWER,
        LANCZOS;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Reads {@code --method} in any case and lists the methods for help and completion. */
    static final class MethodConverter implements CommandLine.ITypeConverter<Method>, Iterable<String> {
        @Override
        public Method convert(String value) {
            for (Method m : Method.values()) {
                if (m.toString().equalsIgnoreCase(value.trim())) {
                    return m;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not one of exact, power, lanczos");
        }

        @Override
        public Iterator<String> iterator() {
            return List.of("exact", "power", "lanczos").iterator();
        }
    }

    @Option(
            names = "--method",
            order = 1,
            paramLabel = "METHOD",
            converter = MethodConverter.class,
            completionCandidates = MethodConverter.class,
            description = "exact, power or lanczos. Default: exact.")
    Method method = Method.EXACT;

    @Mixin
    PowerIterationOptions power;

    @Option(
            names = "--check",
            order = 6,
            description = "With --method power: also compute the exact sigma of every matrix and report the "
                    + "absolute and relative error of the estimate (the accuracy check).")
    boolean check;

    @Option(
            names = "--tol",
            order = 7,
            paramLabel = "T",
            description = "Lanczos: stop when the residual bound is at most T*sigma. Default: 1e-6.")
    Double tolerance;

    @Option(
            names = "--max-steps",
            order = 8,
            paramLabel = "N",
            description =
                    "Lanczos: at most N steps (capped at min(m, n)); the bound reached is reported. " + "Default: 300.")
    Integer maxSteps;

    @Override
    void validate() {
        power.validate();
        if (method != Method.POWER) {
            for (String option : power.given()) {
                if (!(method == Method.LANCZOS && option.equals("--seed"))) {
                    throw usage(option + " applies only to --method power"
                            + (option.equals("--seed") ? " and --method lanczos" : "") + ", not to --method " + method);
                }
            }
            if (check) {
                throw usage("--check applies only to --method power (exact and lanczos report their own accuracy)");
            }
        }
        if (method != Method.LANCZOS && (tolerance != null || maxSteps != null)) {
            throw usage((tolerance != null ? "--tol" : "--max-steps") + " applies only to --method lanczos");
        }
        if (tolerance != null && !(tolerance > 0 && tolerance < 1)) {
            throw usage("--tol must be in (0, 1), got " + tolerance);
        }
        if (maxSteps != null && maxSteps < 1) {
            throw usage("--max-steps must be at least 1, got " + maxSteps);
        }
        requireNotInput(power.stateFile(), "--state");
    }

    @Override
    void run(SpectralBackend backend, Weights weights) throws IOException, InvalidInputException {
        switch (method) {
            case EXACT -> exact(backend, weights);
            case POWER -> powerIteration(backend, weights);
            case LANCZOS -> lanczos(backend, weights);
        }
    }

    private void exact(SpectralBackend backend, Weights weights) {
        List<MatrixBatch> w = weights.asList();
        RepeatOption.Timed<float[]> timed = repeat.run(() -> backend.spectralNorm(w));
        float[] sigmas = timed.result();
        if (output.json()) {
            report(weights, backend).put("sigmas", sigmas).putTiming(timed).print(out());
            return;
        }
        printHeading(weights, backend);
        out().println("sigma, exact (from the SVD):");
        printPerMatrix("sigma", sigmas);
        printTiming(timed);
    }

    /** u, v after the run, and σ̂. */
    @SuppressWarnings("ArrayRecordComponent") // a private carrier of one run's results, never compared or hashed
    private record PowerRun(float[] sigmas, float[] u, float[] v) {}

    private void powerIteration(SpectralBackend backend, Weights weights) throws IOException, InvalidInputException {
        List<MatrixBatch> w = weights.asList();
        PowerStart start = power.start(weights);
        int k = power.iterations();
        RepeatOption.Timed<PowerRun> timed = repeat.run(() -> {
            try (PowerState state = start.open(backend, w)) {
                float[] sigmas = backend.powerIteration(w, state, k);
                return new PowerRun(sigmas, state.exportU(), state.exportV());
            }
        });
        PowerRun run = timed.result();
        AccuracyReport accuracy = check ? AccuracyReport.of(w, run.sigmas()) : null;
        if (power.stateFile() != null) {
            PowerStateFile.save(power.stateFile(), weights.shape(), run.u(), run.v());
        }
        if (output.json()) {
            JsonReport report = report(weights, backend);
            power.describe(report, start);
            report.put("sigmas", run.sigmas());
            if (accuracy != null) {
                report.put("check", accuracy.toJson());
            }
            report.putTiming(timed).print(out());
            return;
        }
        printHeading(weights, backend);
        out().println("sigma, power iteration: " + power.describe(start) + ":");
        if (accuracy != null) {
            accuracy.print(out());
        } else {
            printPerMatrix("sigma (estimate)", run.sigmas());
        }
        if (power.stateFile() != null) {
            out().println("state saved to " + power.stateFile());
        }
        printTiming(timed);
    }

    private void lanczos(SpectralBackend backend, Weights weights) {
        List<MatrixBatch> w = weights.asList();
        LanczosOptions options = new LanczosOptions(
                tolerance == null ? LanczosOptions.DEFAULT.tolerance() : tolerance,
                maxSteps == null ? LanczosOptions.DEFAULT.maxSteps() : maxSteps,
                power.options().seed());
        RepeatOption.Timed<List<LanczosEstimate>> timed = repeat.run(() -> backend.lanczos(w, options));
        List<LanczosEstimate> estimates = timed.result();
        if (output.json()) {
            float[] sigmas = new float[estimates.size()];
            double[] bounds = new double[estimates.size()];
            int[] steps = new int[estimates.size()];
            List<Object> converged = new ArrayList<>();
            for (int k = 0; k < sigmas.length; k++) {
                LanczosEstimate e = estimates.get(k);
                sigmas[k] = e.sigma();
                bounds[k] = e.residualBound();
                steps[k] = e.steps();
                converged.add(e.converged());
            }
            report(weights, backend)
                    .put("tolerance", options.tolerance())
                    .put("maxSteps", options.maxSteps())
                    .put("seed", options.seed())
                    .put("sigmas", sigmas)
                    .put("residualBounds", bounds)
                    .put("steps", steps)
                    .put("converged", converged)
                    .putTiming(timed)
                    .print(out());
            return;
        }
        printHeading(weights, backend);
        out().println("sigma, Lanczos bidiagonalization (tolerance " + TextTable.plain(options.tolerance())
                + ", at most " + options.maxSteps() + " steps, seed " + options.seed() + "):");
        TextTable table = new TextTable("matrix", "sigma", "residual bound", "steps", "converged");
        for (int k = 0; k < estimates.size(); k++) {
            LanczosEstimate e = estimates.get(k);
            table.row(
                    k,
                    TextTable.value(e.sigma()),
                    TextTable.small(e.residualBound()),
                    e.steps(),
                    e.converged() ? "yes" : "no");
        }
        table.print(out());
        printTiming(timed);
    }

    private JsonReport report(Weights weights, SpectralBackend backend) {
        return JsonReport.of("sigma", weights, backend).put("method", method.toString());
    }
}
