package dev.specnorm.cli;

import dev.specnorm.api.SpectralBackend;
import dev.specnorm.examples.gan.Constraint;
import dev.specnorm.examples.gan.Digits;
import dev.specnorm.examples.gan.DigitsCharts;
import dev.specnorm.examples.gan.DigitsGanTrainer;
import dev.specnorm.examples.gan.DigitsReport;
import dev.specnorm.examples.gan.GanLoss;
import dev.specnorm.examples.gan.GanReport;
import dev.specnorm.examples.study.ProgressBar;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code specnorm gan digits}: trains the {@link DigitsGanTrainer} GAN (generator and discriminator) on
 * scikit-learn's 8×8 digits with the discriminator unconstrained ({@code none}), spectrally normalized through
 * the library ({@code sn}) or both side by side (one thread each), shows progress, and writes into {@code --out}:
 * {@code metrics-digits-C.csv} and {@code samples-digits-C.png} per constraint, {@code curves-digits.png} and
 * {@code index.html}; the table of final measurements goes to stdout.
 */
@Command(
        name = "digits",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = SpecnormVersion.class,
        header = "Train a small image GAN on scikit-learn's 8x8 digits, discriminator spectrally normalized or not.",
        descriptionHeading = "%n",
        description = {
            "Data: the 1,797 8x8 handwritten digits scikit-learn ships (UCI optical digits, test part). Generator: "
                    + "DCGAN-style (dense to 64x2x2, two nearest-neighbour upsamplings each followed by a 3x3 "
                    + "convolution, ReLU, tanh output). Discriminator: the SN-GAN standard CNN reduced to 8x8 and a quarter of its "
                    + "width (conv 3x3 16, 4x4 s2 32, 3x3 32, 4x4 s2 64, LeakyReLU 0.1, dense). Convolutions by im2col and "
                    + "EJML's GEMM. --constraint sn normalizes all five discriminator layers in one library call per "
                    + "forward pass. Every --every steps: precision and recall of 1,000 generated against the real "
                    + "images (k-NN manifolds in pixel space), the digits the generated images' nearest real images "
                    + "show, the exact sigma of the matrices D uses, and the step time split into convolutions, SN "
                    + "and the rest.",
            "",
            "Example: specnorm gan digits --out gan-digits-out"
        },
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure, including a backend that is not available here",
            "2:usage error: unknown option, bad value, missing argument"
        })
public final class GanDigitsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--constraint",
            order = 1,
            paramLabel = "NAME",
            defaultValue = "both",
            description = "none, sn or both. Default: both.")
    String constraint;

    @Option(
            names = "--loss",
            order = 2,
            paramLabel = "NAME",
            defaultValue = "hinge",
            description = "hinge, wasserstein or bce (non-saturating). Default: hinge.")
    String loss;

    @Option(names = "--steps", order = 3, defaultValue = "1500", description = "Generator steps. Default: 1500.")
    int steps;

    @Option(names = "--batch", order = 4, defaultValue = "32", description = "Images per step. Default: 32.")
    int batch;

    @Option(names = "--rate", order = 5, defaultValue = "2e-4", description = "Adam's learning rate. Default: 2e-4.")
    double rate;

    @Option(names = "--beta1", order = 6, defaultValue = "0.5", description = "Adam's beta1. Default: 0.5.")
    double beta1;

    @Option(names = "--beta2", order = 7, defaultValue = "0.999", description = "Adam's beta2. Default: 0.999.")
    double beta2;

    @Option(
            names = "--d-steps",
            order = 8,
            defaultValue = "1",
            description = "Discriminator updates per generator update (n_dis). Default: 1.")
    int dSteps;

    @Option(
            names = "--decay",
            order = 9,
            paramLabel = "NAME",
            defaultValue = "none",
            description = "linear (rates fall linearly to 0) or none. Default: none.")
    String decay;

    @Option(names = "--every", order = 10, defaultValue = "250", description = "Steps between metrics. Default: 250.")
    int every;

    @Option(names = "--seed", order = 11, defaultValue = "0", description = "Seed. Default: 0.")
    long seed;

    @Option(
            names = "--out",
            order = 12,
            paramLabel = "DIR",
            defaultValue = "gan-digits-out",
            description = "Output folder. Default: gan-digits-out.")
    Path out;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() throws IOException {
        List<Constraint> constraints = switch (constraint.toLowerCase(Locale.ROOT)) {
            case "none" -> List.of(Constraint.NONE);
            case "sn" -> List.of(Constraint.SN);
            case "both" -> List.of(Constraint.NONE, Constraint.SN);
            default ->
                throw new ParameterException(
                        spec.commandLine(), "unknown constraint '" + constraint + "': expected none, sn or both");
        };
        GanLoss objective;
        try {
            objective = GanLoss.fromName(loss);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!decay.equalsIgnoreCase("linear") && !decay.equalsIgnoreCase("none")) {
            throw new ParameterException(spec.commandLine(), "--decay must be linear or none, got '" + decay + "'");
        }
        List<DigitsGanTrainer.Options> options = new ArrayList<>();
        try {
            for (Constraint c : constraints) {
                options.add(new DigitsGanTrainer.Options(
                        c,
                        objective,
                        steps,
                        batch,
                        rate,
                        beta1,
                        beta2,
                        dSteps,
                        decay.equalsIgnoreCase("linear"),
                        every,
                        seed));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        backendOption.requireKnown();
        Files.createDirectories(out);
        Digits data = Digits.load();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        Map<String, List<DigitsGanTrainer.Metrics>> runs = new LinkedHashMap<>();
        String backendName;
        try (SpectralBackend backend = backendOption.open()) {
            backendName = backend.name();
            err.println("gan digits: " + backendName + " backend, " + data.size() + " images, " + objective.cliName()
                    + " loss, " + steps + " steps, batch " + batch + ", n_dis " + dSteps);
            err.flush();
            int perRun = (steps + every - 1) / every + 1;
            ProgressBar bar = new ProgressBar(err, ProgressBar.wanted(false), constraints.size() * perRun);
            ExecutorService pool = Executors.newFixedThreadPool(constraints.size());
            try {
                List<Future<List<DigitsGanTrainer.Metrics>>> futures = new ArrayList<>();
                for (DigitsGanTrainer.Options o : options) {
                    futures.add(pool.submit(() -> {
                        try (DigitsGanTrainer t = new DigitsGanTrainer(backend, o, data)) {
                            return t.train(m -> report(bar, o.constraint(), m));
                        }
                    }));
                }
                for (int i = 0; i < constraints.size(); i++) {
                    runs.put(constraints.get(i).cliName(), TrainingRuns.await(futures.get(i)));
                }
            } finally {
                pool.shutdownNow();
            }
            bar.finish();
        }
        List<String> images = new ArrayList<>();
        int[] first = new int[DigitsGanTrainer.GRID_IMAGES];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        for (Map.Entry<String, List<DigitsGanTrainer.Metrics>> e : runs.entrySet()) {
            String name = e.getKey();
            GanReport.write(out.resolve("metrics-digits-" + name + ".csv"), DigitsReport.metricsCsv(e.getValue()));
            GanReport.write(
                    out.resolve("samples-digits-" + name + ".png"),
                    DigitsCharts.grids(name, data.batch(first), DigitsCharts.snapshots(e.getValue())));
            images.add("samples-digits-" + name + ".png");
        }
        GanReport.write(out.resolve("curves-digits.png"), DigitsCharts.curves(runs));
        images.add(0, "curves-digits.png");
        String table = DigitsReport.table(runs);
        String command = String.format(
                Locale.ROOT,
                "specnorm gan digits --constraint %s --loss %s --steps %d --batch %d "
                        + "--rate %s --beta1 %s --beta2 %s --d-steps %d --decay %s --every %d --seed %d",
                constraint.toLowerCase(Locale.ROOT),
                objective.cliName(),
                steps,
                batch,
                rate,
                beta1,
                beta2,
                dSteps,
                decay.toLowerCase(Locale.ROOT),
                every,
                seed);
        GanReport.write(out.resolve("index.html"), DigitsReport.html(command, backendName, table, images));
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                Locale.ROOT,
                "after %d steps (seed %d), %s backend, %.1f s in all:%n",
                steps,
                seed,
                backendName,
                (System.nanoTime() - start) / 1e9);
        o.print(table);
        o.println("wrote " + out.resolve("index.html") + ", metrics-digits-*.csv and the PNG charts");
        o.flush();
        return ExitCodes.OK;
    }

    private void report(ProgressBar bar, Constraint c, DigitsGanTrainer.Metrics m) {
        String line = String.format(
                Locale.ROOT,
                "%-4s step %5d/%d  D %.3f  G %.3f  precision %.3f  recall %.3f  digits %d/10  sigma %.4f..%.4f"
                        + "  ms/step conv %.1f SN %.2f other %.2f",
                c.cliName(),
                m.step(),
                steps,
                m.discriminatorLoss(),
                m.generatorLoss(),
                m.quality().precision(),
                m.quality().recall(),
                m.quality().classesCovered(),
                m.minSigma(),
                m.maxSigma(),
                m.convMs(),
                m.snMs(),
                m.otherMs());
        bar.report(line);
    }
}
