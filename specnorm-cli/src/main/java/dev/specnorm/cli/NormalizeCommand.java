package dev.specnorm.cli;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.cli.io.NpyArray;
import dev.specnorm.cli.io.NpyWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code specnorm normalize}: spectral normalization W / sigma (SN-GAN), written to a new file. */
@Command(
        name = "normalize",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = SpecnormVersion.class,
        header = "Spectral normalization W / sigma of every matrix (Miyato et al. 2018).",
        descriptionHeading = "%n",
        description = {
            "Runs --iterations power iterations (from seeded vectors after --warmup iterations, or continuing "
                    + "from --state), then divides every matrix by its estimate sigma = u'Wv (by max(sigma, 1e-12); "
                    + "a zero matrix stays zero). OUT gets the input's shape, as float32; 4-D weights are "
                    + "written back in their (d0, d1, kh, kw) layout.",
            "",
            "Example: specnorm normalize conv.npy --out conv-sn.npy --state conv-state.npz"
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE, ExitCodes.INVALID_INPUT_LINE})
public final class NormalizeCommand extends WeightCommand {

    @Option(
            names = "--out",
            order = 1,
            paramLabel = "OUT",
            required = true,
            description = "Where to write the normalized weights (.npy, float32; written atomically).")
    Path outFile;

    @Mixin
    PowerIterationOptions power;

    @Override
    void validate() {
        power.validate();
        requireNotInput(outFile, "--out");
        requireNotInput(power.stateFile(), "--state");
        if (power.stateFile() != null && sameFile(outFile, power.stateFile())) {
            throw usage("--out and --state name the same file " + outFile);
        }
    }

    /** σ̂ per matrix, the normalized weights, and the state after the run. */
    @SuppressWarnings("ArrayRecordComponent") // a private carrier of one run's results, never compared or hashed
    private record NormalizeRun(float[] sigmas, MatrixBatch normalized, float[] u, float[] v) {}

    @Override
    void run(SpectralBackend backend, Weights weights) throws IOException, InvalidInputException {
        List<MatrixBatch> w = weights.asList();
        PowerStart start = power.start(weights);
        int k = power.iterations();
        RepeatOption.Timed<NormalizeRun> timed = repeat.run(() -> {
            try (PowerState state = start.open(backend, w)) {
                MatrixBatch normalized = MatrixBatch.zeros(weights.shape());
                float[] sigmas = backend.normalize(w, state, k, List.of(normalized));
                return new NormalizeRun(sigmas, normalized, state.exportU(), state.exportV());
            }
        });
        NormalizeRun run = timed.result();
        NpyArray result = weights.toFileLayout(run.normalized());
        OutputFiles.write(outFile, out -> NpyWriter.write(result, out));
        if (power.stateFile() != null) {
            PowerStateFile.save(power.stateFile(), weights.shape(), run.u(), run.v());
        }
        if (output.json()) {
            JsonReport report = JsonReport.of("normalize", weights, backend);
            power.describe(report, start);
            report.put("sigmas", run.sigmas())
                    .put("out", outFile)
                    .putTiming(timed)
                    .print(out());
            return;
        }
        printHeading(weights, backend);
        out().println("spectral normalization W / sigma, sigma by power iteration: " + power.describe(start) + ":");
        printPerMatrix("sigma (estimate)", run.sigmas());
        out().println("wrote " + outFile + " (shape " + result.shapeText() + ", float32)");
        if (power.stateFile() != null) {
            out().println("state saved to " + power.stateFile());
        }
        printTiming(timed);
    }
}
