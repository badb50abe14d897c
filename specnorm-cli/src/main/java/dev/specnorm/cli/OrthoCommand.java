package dev.specnorm.cli;

import dev.specnorm.api.Conventions;
import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.cli.io.NpyArray;
import dev.specnorm.cli.io.NpyWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code specnorm ortho}: an orthogonality penalty of the weights, and optionally its gradient. */
@Command(
        name = "ortho",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = SpecnormVersion.class,
        header = "Orthogonality penalty of the weights, summed over every matrix, and its gradient.",
        descriptionHeading = "%n",
        description = {
            "With A = W W' and I the identity: biggan = beta ||A * (1 - I)||_F^2 (off-diagonal, Brock et al. 2018); "
                    + "soft = beta ||A - I||_F^2 (Bansal et al. 2018); double-soft = beta (||W W' - I||_F^2 + "
                    + "||W'W - I||_F^2); l1 = beta sum |A - I| (Brock et al. 2017); srip = beta u'Gv, G the smaller "
                    + "Gram matrix minus I and u, v from power iteration on G (Bansal et al. 2018); slices = biggan "
                    + "on each kh x kw kernel slice (a 4-D weight is reshaped with --reshape slices).",
            "",
            "Example: specnorm ortho conv.npy --penalty biggan --grad conv-grad.npy"
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE, ExitCodes.INVALID_INPUT_LINE})
public final class OrthoCommand extends WeightCommand {

    /** Reads {@code --penalty} with {@link Penalty#fromName} and lists the names for help and completion. */
    static final class PenaltyConverter implements CommandLine.ITypeConverter<Penalty>, Iterable<String> {
        @Override
        public Penalty convert(String value) {
            try {
                return Penalty.fromName(value.trim());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Penalty.values()).map(Penalty::cliName).iterator();
        }
    }

    @Option(
            names = "--penalty",
            order = 1,
            paramLabel = "NAME",
            required = true,
            converter = PenaltyConverter.class,
            completionCandidates = PenaltyConverter.class,
            description = "biggan, soft, double-soft, l1, srip or slices.")
    Penalty penalty;

    @Option(names = "--beta", order = 2, paramLabel = "B", description = "Strength beta, at least 0. Default: 1e-4.")
    Float beta;

    @Option(
            names = "--grad",
            order = 3,
            paramLabel = "OUT",
            description = "Also write the gradient dR/dW, in the input's shape and layout (.npy, float32; "
                    + "written atomically).")
    Path gradFile;

    @Option(
            names = "--iterations",
            order = 4,
            paramLabel = "K",
            description = "srip only: power iterations on G. Default: 2, as Bansal et al.")
    Integer iterations;

    @Option(
            names = "--warmup",
            order = 5,
            paramLabel = "N",
            description = "srip only: iterations run when the state on G is created. Default: 0.")
    Integer warmup;

    @Option(
            names = "--seed",
            order = 6,
            paramLabel = "S",
            description = "srip only: seed of the initial vectors. Default: 0.")
    Long seed;

    @Override
    void validate() {
        float b = strength();
        if (!Float.isFinite(b) || b < 0) {
            throw usage("--beta must be a finite number at least 0, got " + b);
        }
        if (penalty != Penalty.SRIP) {
            String option =
                    iterations != null ? "--iterations" : warmup != null ? "--warmup" : seed != null ? "--seed" : null;
            if (option != null) {
                throw usage(option + " applies only to --penalty srip, not to --penalty " + penalty.cliName());
            }
        }
        if (iterations != null && iterations < 0) {
            throw usage("--iterations must be at least 0, got " + iterations);
        }
        if (warmup != null && warmup < 0) {
            throw usage("--warmup must be at least 0, got " + warmup);
        }
        if (penalty == Penalty.SLICES
                && input.requestedReshape() != null
                && input.requestedReshape() != ConvolutionReshape.SLICES) {
            throw usage("--penalty slices works on the slices reshape; it cannot be combined with --reshape "
                    + ReshapeConverter.nameOf(input.requestedReshape()));
        }
        requireNotInput(gradFile, "--grad");
    }

    @Override
    Weights load() throws InvalidInputException {
        return penalty == Penalty.SLICES ? input.load(ConvolutionReshape.SLICES) : input.load();
    }

    @Override
    void run(SpectralBackend backend, Weights weights) throws IOException {
        List<MatrixBatch> w = weights.asList();
        float b = strength();
        PowerOptions sripStart = new PowerOptions(seed == null ? 0 : seed, warmup == null ? 0 : warmup, 1);
        int sripIterations = iterations == null ? Conventions.SRIP_ITERATIONS : iterations;
        MatrixBatch gradient = gradFile == null ? null : MatrixBatch.zeros(weights.shape());
        List<MatrixBatch> gradients = gradient == null ? null : List.of(gradient);
        RepeatOption.Timed<PenaltyResult> timed = repeat.run(() -> {
            if (penalty != Penalty.SRIP) {
                return backend.orthogonalPenalty(w, penalty, b, gradients);
            }
            try (PowerState state = backend.newSripState(w, sripStart)) {
                return backend.srip(w, state, sripIterations, b, gradients);
            }
        });
        PenaltyResult result = timed.result();
        NpyArray gradientArray = gradient == null ? null : weights.toFileLayout(gradient);
        if (gradientArray != null) {
            OutputFiles.write(gradFile, out -> NpyWriter.write(gradientArray, out));
        }
        if (output.json()) {
            JsonReport report = JsonReport.of("ortho", weights, backend)
                    .put("penalty", penalty.cliName())
                    .put("beta", b);
            if (penalty == Penalty.SRIP) {
                report.put("iterations", sripIterations)
                        .put("warmup", sripStart.warmup())
                        .put("seed", sripStart.seed());
            }
            report.put("loss", result.loss()).put("perMatrix", result.perMatrix());
            if (gradFile != null) {
                report.put("grad", gradFile);
            }
            report.putTiming(timed).print(out());
            return;
        }
        printHeading(weights, backend);
        String srip = penalty != Penalty.SRIP
                ? ""
                : ", " + sripIterations + " iterations on G after " + sripStart.warmup() + " warm-up, seed "
                        + sripStart.seed();
        out().println("penalty " + penalty.cliName() + " (beta " + TextTable.plain(b) + srip + "): loss "
                + TextTable.value(result.loss()));
        if (result.perMatrix().length > 1) {
            printPerMatrix("loss", result.perMatrix());
        }
        if (gradientArray != null) {
            out().println("wrote gradient to " + gradFile + " (shape " + gradientArray.shapeText() + ", float32)");
        }
        printTiming(timed);
    }

    private float strength() {
        return beta == null ? Conventions.DEFAULT_BETA : beta;
    }
}
