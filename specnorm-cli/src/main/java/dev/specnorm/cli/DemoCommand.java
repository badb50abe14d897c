package dev.specnorm.cli;

import dev.specnorm.api.Conventions;
import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.examples.SnganDiscriminator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code specnorm demo}: the main example. Builds the SN-GAN discriminator's weights from a seed
 * ({@link SnganDiscriminator}) and runs every kind of operation once over all eight layers in one call.
 */
@Command(
        name = "demo",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = SpecnormVersion.class,
        header = "Run every operation on the SN-GAN discriminator's eight layers, one call each.",
        descriptionHeading = "%n",
        description = {
            "Builds the weights of the SN-GAN standard CNN discriminator (Miyato et al. 2018, Table 3: seven "
                    + "convolutions 3->64->64->128->128->256->256->512, then dense 512*4*4->1) with N(0, 0.02^2) "
                    + "entries from --seed, each layer one out x in*kh*kw matrix, and prints per layer: the exact "
                    + "sigma, the power-iteration estimate after 15 warm-up iterations and one more (and its "
                    + "relative error), the Lanczos estimate with its residual bound, the sigma of the "
                    + "spectrally normalized weights (about 1, by Lanczos), and the biggan orthogonality penalty "
                    + "(beta 1e-4). Each operation is one call on the list of all layers; the times are printed.",
            "",
            "Example: specnorm demo --backend cpu"
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backendOption;

    @Option(
            names = "--seed",
            order = 1,
            paramLabel = "S",
            description = "Seed of the weights and of the power-iteration and Lanczos start vectors. Default: 0.")
    long seed;

    @Mixin
    OutputOptions output;

    /** What one layer's row of the table holds. */
    private record Row(
            SnganDiscriminator.Layer layer,
            float sigma,
            float power,
            LanczosEstimate lanczos,
            float normalizedSigma,
            float biggan) {

        double powerRelativeError() {
            return (sigma - (double) power) / sigma;
        }
    }

    private final Map<String, Double> timings = new LinkedHashMap<>();

    @Override
    public Integer call() {
        backendOption.requireKnown();
        long start = System.nanoTime();
        List<SnganDiscriminator.Layer> layers = SnganDiscriminator.layers(seed);
        List<MatrixBatch> w =
                layers.stream().map(SnganDiscriminator.Layer::weights).toList();
        List<Row> rows = new ArrayList<>();
        String backendName;
        try (SpectralBackend backend = backendOption.open()) {
            backendName = backend.name();
            float[] exact = time("exact sigma", () -> backend.spectralNorm(w));
            List<MatrixBatch> normalized =
                    w.stream().map(m -> MatrixBatch.zeros(m.shape())).toList();
            float[] power;
            PowerOptions powerStart = PowerOptions.DEFAULT.withSeed(seed);
            try (PowerState state = time("new power state", () -> backend.newPowerState(w, powerStart))) {
                power = time("power iteration", () -> backend.powerIteration(w, state, 1));
                time("normalize", () -> backend.normalize(w, state, 0, normalized));
            }
            LanczosOptions lanczosOptions =
                    new LanczosOptions(LanczosOptions.DEFAULT.tolerance(), LanczosOptions.DEFAULT.maxSteps(), seed);
            List<LanczosEstimate> lanczos = time("Lanczos", () -> backend.lanczos(w, lanczosOptions));
            List<LanczosEstimate> normalizedSigma =
                    time("Lanczos on W/sigma", () -> backend.lanczos(normalized, lanczosOptions));
            PenaltyResult biggan = time(
                    "biggan penalty",
                    () -> backend.orthogonalPenalty(w, Penalty.BIGGAN, Conventions.DEFAULT_BETA, null));
            for (int k = 0; k < layers.size(); k++) {
                rows.add(new Row(
                        layers.get(k),
                        exact[k],
                        power[k],
                        lanczos.get(k),
                        normalizedSigma.get(k).sigma(),
                        biggan.term(k)));
            }
        }
        double totalMs = (System.nanoTime() - start) / 1e6;
        if (output.json()) {
            printJson(backendName, rows, totalMs);
        } else {
            printText(backendName, rows, totalMs);
        }
        return ExitCodes.OK;
    }

    private <T> T time(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        T result = call.get();
        timings.put(operation, (System.nanoTime() - start) / 1e6);
        return result;
    }

    private void printText(String backend, List<Row> rows, double totalMs) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("SN-GAN standard CNN discriminator (Miyato et al. 2018, Table 3), weights N(0, 0.02^2), seed "
                + seed + "; backend " + backend);
        TextTable table = new TextTable(
                "layer",
                "matrix",
                "sigma exact",
                "power est.",
                "rel. error",
                "Lanczos",
                "res. bound",
                "sigma(W/est)",
                "biggan");
        for (Row r : rows) {
            table.row(
                    r.layer().name(),
                    r.layer().weights().shape().rows() + "x"
                            + r.layer().weights().shape().cols(),
                    TextTable.value(r.sigma()),
                    TextTable.value(r.power()),
                    TextTable.small(r.powerRelativeError()),
                    TextTable.value(r.lanczos().sigma()),
                    TextTable.small(r.lanczos().residualBound()),
                    TextTable.value(r.normalizedSigma()),
                    TextTable.small(r.biggan()));
        }
        table.print(out);
        out.println("power est.: after 15 warm-up iterations and 1 more; rel. error: (sigma - est.) / sigma;");
        out.println("Lanczos: to relative tolerance 1e-6, with its residual bound; sigma(W/est): sigma of the");
        out.println("spectrally normalized weights W / est. (by Lanczos); biggan: orthogonality penalty, beta 1e-4.");
        out.println();
        out.println("one call each over all " + rows.size() + " layers:");
        TextTable times = new TextTable("operation", "time");
        for (Map.Entry<String, Double> e : timings.entrySet()) {
            times.row(e.getKey(), TextTable.millis(e.getValue()));
        }
        times.row("total, with building the weights", TextTable.millis(totalMs));
        times.print(out);
        out.flush();
    }

    private void printJson(String backend, List<Row> rows, double totalMs) {
        List<Object> layers = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("name", r.layer().name());
            layer.put("shape", r.layer().weightShape());
            layer.put("matrix", new int[] {
                r.layer().weights().shape().rows(), r.layer().weights().shape().cols()
            });
            layer.put("sigma", r.sigma());
            layer.put("powerSigma", r.power());
            layer.put("powerRelativeError", r.powerRelativeError());
            layer.put("lanczosSigma", r.lanczos().sigma());
            layer.put("lanczosResidualBound", r.lanczos().residualBound());
            layer.put("normalizedSigma", r.normalizedSigma());
            layer.put("biggan", r.biggan());
            layers.add(layer);
        }
        JsonReport.of("demo")
                .put("backend", backend)
                .put("seed", seed)
                .put("model", "SN-GAN standard CNN discriminator (Miyato et al. 2018, Table 3)")
                .put("initStd", SnganDiscriminator.INIT_STD)
                .put("layers", layers)
                .put("timingsMs", new LinkedHashMap<>(timings))
                .put("totalMs", totalMs)
                .print(spec.commandLine().getOut());
    }
}
