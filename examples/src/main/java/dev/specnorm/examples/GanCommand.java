package dev.specnorm.examples;

import dev.specnorm.api.SpectralBackend;
import dev.specnorm.examples.gan.Constraint;
import dev.specnorm.examples.gan.GanTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code specnorm gan}: trains the 8-Gaussians MLP GAN ({@link GanTrainer}) with the discriminator held by
 * a constraint the library computes, prints the metrics as it goes, writes them as CSV, and with
 * {@code --constraint all} compares every constraint over several seeds (mean ± standard deviation of the
 * final measurement).
 */
@Command(name = "gan", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = SpecnormVersion.class,
        header = "Train a small GAN on 8 Gaussians with the discriminator constrained through the library.",
        descriptionHeading = "%n",
        description = {
            "Generator and discriminator: MLPs with three hidden layers of 128 and LeakyReLU(0.2); data: 8 "
                    + "Gaussians on a ring of radius 2, std 0.02; non-saturating GAN loss, Adam (beta1 0.5). The "
                    + "discriminator is held by --constraint: none, sn (spectral normalization, one power "
                    + "iteration per forward pass), snreg (lambda sigma^2), biggan, soft, srip, or all. Every "
                    + "--every steps: losses, modes covered (of 8) and the share of high-quality samples (within "
                    + "3 std of a mode) of 2,500 samples, the discriminator's Lipschitz upper bound (product of "
                    + "the exact sigma of its layers) and its largest gradient norm over real data.",
            "",
            "Example: specnorm gan --constraint sn --steps 1500 --out gan-out"},
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE})
public final class GanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backendOption;

    @Option(names = "--constraint", order = 1, paramLabel = "NAME", defaultValue = "sn",
            description = "none, sn, snreg, biggan, soft, srip or all. Default: sn.")
    String constraint;

    @Option(names = "--strength", order = 2, paramLabel = "X",
            description = "lambda (snreg) or beta (biggan, soft, srip). Default: 0.01, 1e-4, 1e-4, 0.01.")
    Double strength;

    @Option(names = "--steps", order = 3, defaultValue = "1500", description = "Generator steps. Default: 1500.")
    int steps;

    @Option(names = "--batch", order = 4, defaultValue = "128", description = "Samples per step. Default: 128.")
    int batch;

    @Option(names = "--rate", order = 5, defaultValue = "1e-3", description = "Adam's learning rate. Default: 1e-3.")
    double rate;

    @Option(names = "--every", order = 6, defaultValue = "100", description = "Steps between metrics. Default: 100.")
    int every;

    @Option(names = "--seed", order = 7, defaultValue = "0", description = "Seed (first seed with all). Default: 0.")
    long seed;

    @Option(names = "--seeds", order = 8, defaultValue = "5", description = "Seeds per constraint with all. Default: 5.")
    int seeds;

    @Option(names = "--out", order = 9, paramLabel = "DIR", defaultValue = "gan-out",
            description = "Folder for metrics-<constraint>-seed<S>.csv. Default: gan-out.")
    Path out;

    @Override
    public Integer call() throws IOException {
        backendOption.requireKnown();
        List<Constraint> constraints;
        try {
            constraints = constraint.equalsIgnoreCase("all") ? List.of(Constraint.values())
                    : List.of(Constraint.fromName(constraint));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage() + ", all");
        }
        if (steps < 1 || batch < 1 || every < 1 || seeds < 1 || !(rate > 0) || (strength != null && !(strength >= 0))) {
            throw new ParameterException(spec.commandLine(),
                    "--steps, --batch, --every, --seeds must be at least 1, --rate positive, --strength non-negative");
        }
        int runs = constraint.equalsIgnoreCase("all") ? seeds : 1;
        Files.createDirectories(out);
        PrintWriter err = spec.commandLine().getErr();
        List<String> summary = new ArrayList<>();
        try (SpectralBackend backend = backendOption.open()) {
            err.println("gan: " + backend.name() + " backend, " + steps + " steps, batch " + batch);
            for (Constraint c : constraints) {
                List<GanTrainer.Metrics> finals = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    long s = seed + r;
                    double x = strength != null ? strength : c.defaultStrength();
                    GanTrainer.Options o = new GanTrainer.Options(c, x, steps, batch, rate, every, s);
                    List<GanTrainer.Metrics> metrics;
                    try (GanTrainer trainer = new GanTrainer(backend, o)) {
                        metrics = trainer.train(m -> err.printf(Locale.ROOT,
                                "  %-6s seed %d step %5d/%d  D %.3f  G %.3f  modes %d/8  hq %.3f  prod sigma %.4g  max|grad D| %.4g%n",
                                c.cliName(), s, m.step(), steps, m.discriminatorLoss(), m.generatorLoss(),
                                m.modesCovered(), m.highQuality(), m.lipschitzBound(), m.maxGradientNorm()));
                    }
                    writeCsv(out.resolve("metrics-" + c.cliName() + "-seed" + s + ".csv"), metrics);
                    finals.add(metrics.get(metrics.size() - 1));
                }
                summary.add(String.format(Locale.ROOT, "%-7s %s  %s  %s  %s", c.cliName(),
                        stat(finals, m -> m.modesCovered()), stat(finals, GanTrainer.Metrics::highQuality),
                        stat(finals, GanTrainer.Metrics::lipschitzBound), stat(finals, GanTrainer.Metrics::maxGradientNorm)));
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("after " + steps + " steps (" + (runs > 1 ? "mean ± sd over " + runs + " seeds" : "seed " + seed) + "):");
        o.println("constr  modes covered    high quality     prod sigma(D)    max |grad D|");
        summary.forEach(o::println);
        o.println("metrics: " + out);
        o.flush();
        return ExitCodes.OK;
    }

    private static String stat(List<GanTrainer.Metrics> ms, java.util.function.ToDoubleFunction<GanTrainer.Metrics> f) {
        double mean = ms.stream().mapToDouble(f).average().orElse(Double.NaN);
        double var = ms.stream().mapToDouble(m -> (f.applyAsDouble(m) - mean) * (f.applyAsDouble(m) - mean)).sum()
                / Math.max(1, ms.size() - 1);
        return String.format(Locale.ROOT, "%7.4g ± %-7.2g", mean, Math.sqrt(var));
    }

    private static void writeCsv(Path file, List<GanTrainer.Metrics> metrics) throws IOException {
        OutputFiles.write(file, stream -> {
            StringBuilder b = new StringBuilder("step,d_loss,g_loss,penalty,modes_covered,high_quality,lipschitz_bound,max_grad_norm\n");
            for (GanTrainer.Metrics m : metrics) {
                b.append(String.format(Locale.ROOT, "%d,%.6g,%.6g,%.6g,%d,%.6g,%.8g,%.6g%n", m.step(),
                        m.discriminatorLoss(), m.generatorLoss(), m.penalty(), m.modesCovered(), m.highQuality(),
                        m.lipschitzBound(), m.maxGradientNorm()));
            }
            stream.write(b.toString().getBytes(StandardCharsets.UTF_8));
        });
    }
}
