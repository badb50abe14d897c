package dev.specnorm.cli;

import dev.specnorm.api.SpectralBackend;
import dev.specnorm.examples.gan.Constraint;
import dev.specnorm.examples.gan.GanCharts;
import dev.specnorm.examples.gan.GanLoss;
import dev.specnorm.examples.gan.GanReport;
import dev.specnorm.examples.gan.GanSummary;
import dev.specnorm.examples.gan.GanTrainer;
import dev.specnorm.examples.gan.GaussianMixture;
import dev.specnorm.examples.study.ProgressBar;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
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
 * {@code specnorm gan}: trains the MLP GAN of {@link GanTrainer} (Goodfellow et al. 2014) on the 8-Gaussians ring
 * or the 25-Gaussians grid with the SN-GAN recipe by default (hinge loss, Adam lr 1e-3, β = (0.5, 0.9), n_dis = 5, the
 * rates decayed linearly to 0: setting D of Miyato et al. 2018 and the schedule of their code) and the discriminator D = K·f held by a constraint the library computes, shows a progress bar (or one line per
 * measurement when stderr is not a terminal), and writes into {@code --out}: per run
 * {@code metrics-C-seedS.csv}; per constraint (its first seed) {@code samples-C.png} (real versus generated
 * at four steps) and {@code curves-C.png}; {@code summary.csv}, and with {@code --constraint all}
 * {@code comparison.png}; and {@code index.html}. The table of final metrics (mean ± sample standard
 * deviation over the seeds) goes to stdout. Runs are independent (each its own seed, networks and state on
 * one shared backend) and train {@code --threads} at a time; each run's numbers do not depend on that.
 */
@Command(
        name = "gan",
        subcommands = GanDigitsCommand.class,
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = SpecnormVersion.class,
        header = "Train a small GAN on 8 or 25 Gaussians with the discriminator constrained through the library.",
        descriptionHeading = "%n",
        description = {
            "Generator and discriminator: MLPs with three hidden layers of 128 and LeakyReLU(0.2); data "
                    + "(--problem): ring, 8 Gaussians on a ring of radius 2, std 0.02, or grid, 25 Gaussians on the "
                    + "5x5 grid {-4,-2,0,2,4}^2, std 0.05. The SN-GAN recipe by default: hinge loss, Adam lr 1e-3, "
                    + "beta (0.5, 0.9) (setting D of Miyato et al. 2018), 5 discriminator steps per generator step, "
                    + "rates decayed linearly to 0; the discriminator is D = K f, K "
                    + "the Lipschitz scale (--scale), f held by --constraint: none, sn (spectral normalization, one power "
                    + "iteration per forward pass), snreg (lambda sigma^2), biggan, soft, srip, or all (every "
                    + "one, on --seeds seeds, default 5). Every --every steps: losses, modes covered and "
                    + "the share of high-quality samples (within 3 std of a mode) of 2,500 samples, the mode "
                    + "histogram's KL to uniform, the energy distance to 2,500 real samples, the "
                    + "discriminator's Lipschitz upper bound (K times the product of the exact sigma of its "
                    + "layers) and its "
                    + "largest gradient norm over real data. Every sigma, normalization, penalty and gradient of "
                    + "the constraint is computed by the library on --backend.",
            "",
            "Writes metrics-C-seedS.csv, samples-C.png, curves-C.png, summary.csv, comparison.png (all) and "
                    + "index.html into --out.",
            "",
            "Subcommand digits: the image GAN on scikit-learn's 8x8 digits (specnorm gan digits --help).",
            "",
            "Example: specnorm gan --constraint all --out gan-out"
        },
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure, including a backend that is not available here",
            "2:usage error: unknown option, bad value, missing argument"
        })
public final class GanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--constraint",
            order = 1,
            paramLabel = "NAME",
            defaultValue = "sn",
            description = "none, sn, snreg, biggan, soft, srip or all. Default: sn.")
    String constraint;

    @Option(
            names = "--strength",
            order = 2,
            paramLabel = "X",
            description = "lambda (snreg) or beta (biggan, soft, srip). Default: 0.01, 1e-4, 1e-4, 0.01.")
    Double strength;

    @Option(
            names = "--problem",
            order = 3,
            paramLabel = "NAME",
            defaultValue = "ring",
            description = "ring (8 Gaussians) or grid (25 Gaussians). Default: ring.")
    String problem;

    @Option(
            names = "--loss",
            order = 4,
            paramLabel = "NAME",
            defaultValue = "hinge",
            description = "hinge, wasserstein or bce (non-saturating). Default: hinge.")
    String loss;

    @Option(names = "--steps", order = 5, defaultValue = "1200", description = "Generator steps. Default: 1200.")
    int steps;

    @Option(names = "--batch", order = 6, defaultValue = "64", description = "Samples per step. Default: 64.")
    int batch;

    @Option(
            names = "--rate",
            order = 7,
            defaultValue = "1e-3",
            description = "Adam's learning rate. Default: 1e-3 (SN-GAN's setting D with beta (0.5, 0.9)).")
    double rate;

    @Option(names = "--beta1", order = 8, defaultValue = "0.5", description = "Adam's beta1. Default: 0.5.")
    double beta1;

    @Option(names = "--beta2", order = 9, defaultValue = "0.9", description = "Adam's beta2. Default: 0.9.")
    double beta2;

    @Option(
            names = "--d-steps",
            order = 10,
            defaultValue = "5",
            description = "Discriminator updates per generator update (n_dis). Default: 5.")
    int dSteps;

    @Option(
            names = "--scale",
            order = 11,
            paramLabel = "K",
            defaultValue = "4",
            description = "Lipschitz scale K of D = K f (under sn, |D|_L <= K). Default: 4.")
    double scale;

    @Option(
            names = "--decay",
            order = 12,
            paramLabel = "NAME",
            defaultValue = "linear",
            description = "linear (both rates fall linearly to 0 over the steps, as in SN-GAN's code) or none. "
                    + "Default: linear.")
    String decay;

    @Option(names = "--every", order = 12, defaultValue = "100", description = "Steps between metrics. Default: 100.")
    int every;

    @Option(names = "--seed", order = 13, defaultValue = "0", description = "First seed. Default: 0.")
    long seed;

    @Option(
            names = "--seeds",
            order = 14,
            paramLabel = "K",
            description = "Seeds per constraint (S, S+1, ...). Default: 5 with all, else 1.")
    Integer seeds;

    @Option(
            names = "--threads",
            order = 15,
            paramLabel = "T",
            description = "Runs trained at once (each on one thread). Default: the number of processors.")
    Integer threads;

    @Option(
            names = "--out",
            order = 16,
            paramLabel = "DIR",
            defaultValue = "gan-out",
            description = "Output folder. Default: gan-out.")
    Path out;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() throws IOException {
        boolean all = constraint.equalsIgnoreCase("all");
        List<Constraint> constraints;
        try {
            constraints = all ? List.of(Constraint.values()) : List.of(Constraint.fromName(constraint));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage() + ", all");
        }
        GaussianMixture mixture;
        GanLoss objective;
        try {
            mixture = GaussianMixture.fromName(problem);
            objective = GanLoss.fromName(loss);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        int runs = seeds != null ? seeds : all ? 5 : 1;
        if (steps < 1 || batch < 1 || every < 1 || runs < 1 || dSteps < 1 || (threads != null && threads < 1)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--steps, --batch, --every, --seeds, --d-steps and --threads must be at least 1");
        }
        if (!(rate > 0)
                || !Double.isFinite(rate)
                || (strength != null && !(strength >= 0 && Double.isFinite(strength)))) {
            throw new ParameterException(spec.commandLine(), "--rate must be positive and --strength non-negative");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(scale > 0) || !Double.isFinite(scale)) {
            throw new ParameterException(spec.commandLine(), "--beta1 and --beta2 must be in [0, 1), --scale positive");
        }
        if (!decay.equalsIgnoreCase("linear") && !decay.equalsIgnoreCase("none")) {
            throw new ParameterException(spec.commandLine(), "--decay must be linear or none, got '" + decay + "'");
        }
        backendOption.requireKnown();
        Files.createDirectories(out);
        PrintWriter err = spec.commandLine().getErr();
        List<GanSummary> summary = new ArrayList<>();
        List<String> images = new ArrayList<>();
        double[] real = mixture.sample(GanTrainer.EVAL_SAMPLES, new Random(~seed));
        long start = System.nanoTime();
        String backendName;
        try (SpectralBackend backend = backendOption.open()) {
            backendName = backend.name();
            err.println("gan: " + backendName + " backend, " + mixture.name() + ", " + objective.cliName() + " loss, "
                    + constraints.size() + " constraint(s) x " + runs + " seed(s), " + steps + " steps, batch " + batch
                    + ", n_dis " + dSteps + ", K " + scale + ", " + decay.toLowerCase(Locale.ROOT) + " rate decay");
            err.flush();
            int perRun = (steps + every - 1) / every + 1;
            ProgressBar bar = new ProgressBar(err, ProgressBar.wanted(false), constraints.size() * runs * perRun);
            List<Future<Run>> futures = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads(), constraints.size() * runs));
            try {
                for (Constraint c : constraints) {
                    for (int r = 0; r < runs; r++) {
                        GanTrainer.Options o = new GanTrainer.Options(
                                c,
                                strengthOf(c),
                                mixture,
                                objective,
                                steps,
                                batch,
                                rate,
                                beta1,
                                beta2,
                                dSteps,
                                scale,
                                linearDecay(),
                                every,
                                seed + r);
                        futures.add(pool.submit(() -> train(backend, o, bar)));
                    }
                }
                for (int i = 0; i < constraints.size(); i++) {
                    Constraint c = constraints.get(i);
                    List<GanTrainer.Metrics> finals = new ArrayList<>();
                    double[] seconds = new double[runs];
                    for (int r = 0; r < runs; r++) {
                        Run run = TrainingRuns.await(futures.get(i * runs + r));
                        seconds[r] = run.seconds();
                        finals.add(run.metrics().get(run.metrics().size() - 1));
                        if (r == 0) {
                            String title = c.cliName() + ", seed " + seed;
                            GanReport.write(
                                    out.resolve("samples-" + c.cliName() + ".png"),
                                    GanCharts.samples(title, real, GanCharts.snapshots(run.metrics())));
                            GanReport.write(
                                    out.resolve("curves-" + c.cliName() + ".png"),
                                    GanCharts.curves(title, run.metrics()));
                            images.add("samples-" + c.cliName() + ".png");
                            images.add("curves-" + c.cliName() + ".png");
                        }
                    }
                    summary.add(GanSummary.of(c, strengthOf(c), finals, seconds));
                }
            } finally {
                pool.shutdownNow();
            }
            bar.finish();
        }
        if (all) {
            GanReport.write(out.resolve("comparison.png"), GanCharts.comparison(summary, mixture.modeCount()));
            images.add(0, "comparison.png");
        }
        GanReport.write(out.resolve("summary.csv"), GanReport.summaryCsv(summary));
        String command = String.format(
                Locale.ROOT,
                "specnorm gan --constraint %s --problem %s --loss %s --steps %d "
                        + "--batch %d --rate %s --beta1 %s --beta2 %s --d-steps %d --scale %s --decay %s --every %d --seed %d --seeds %d%s",
                constraint.toLowerCase(Locale.ROOT),
                mixture.name(),
                objective.cliName(),
                steps,
                batch,
                rate,
                beta1,
                beta2,
                dSteps,
                scale,
                decay.toLowerCase(Locale.ROOT),
                every,
                seed,
                runs,
                strength == null ? "" : " --strength " + strength);
        GanReport.write(out.resolve("index.html"), GanReport.html(command, backendName, summary, images));
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                Locale.ROOT,
                "after %d steps (%s), %s backend, %.1f s in all:%n",
                steps,
                runs > 1 ? "mean ± sd over seeds " + seed + ".." + (seed + runs - 1) : "seed " + seed,
                backendName,
                (System.nanoTime() - start) / 1e9);
        o.print(GanReport.table(summary));
        o.println("wrote " + out.resolve("index.html") + ", summary.csv, metrics-*.csv and the PNG charts");
        o.flush();
        return ExitCodes.OK;
    }

    /** One training run's measurements and its wall time. */
    private record Run(List<GanTrainer.Metrics> metrics, double seconds) {}

    private boolean linearDecay() {
        return decay.equalsIgnoreCase("linear");
    }

    private int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    private double strengthOf(Constraint c) {
        return strength != null ? strength : c.defaultStrength();
    }

    /** Trains one run (on a pool thread) and writes its metrics CSV. */
    private Run train(SpectralBackend backend, GanTrainer.Options o, ProgressBar bar) throws IOException {
        long t0 = System.nanoTime();
        List<GanTrainer.Metrics> metrics;
        try (GanTrainer trainer = new GanTrainer(backend, o)) {
            metrics = trainer.train(m -> report(bar, o.constraint(), o.seed(), m));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        GanReport.write(
                out.resolve("metrics-" + o.constraint().cliName() + "-seed" + o.seed() + ".csv"),
                GanReport.metricsCsv(metrics));
        return new Run(metrics, seconds);
    }

    private void report(ProgressBar bar, Constraint c, long s, GanTrainer.Metrics m) {
        String line = String.format(
                Locale.ROOT,
                "%-6s seed %d step %5d/%d  D %.3f  G %.3f  modes %d/%d  hq %.3f  KL %.3f  energy %.4f  K prod sigma %.4g"
                        + "  max|grad D| %.4g",
                c.cliName(),
                s,
                m.step(),
                steps,
                m.discriminatorLoss(),
                m.generatorLoss(),
                m.modesCovered(),
                m.modeCount(),
                m.highQuality(),
                m.klUniform(),
                m.energyDistance(),
                m.lipschitzBound(),
                m.maxGradientNorm());
        bar.report(line);
    }
}
