package dev.specnorm.cli;

import dev.specnorm.api.SpectralBackend;
import dev.specnorm.cli.BackendOption;
import dev.specnorm.cli.ExitCodes;
import dev.specnorm.cli.SpecnormVersion;
import dev.specnorm.examples.study.ProgressBar;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import dev.specnorm.examples.gan.Adam;
import dev.specnorm.examples.gan.GanCharts;
import dev.specnorm.examples.gan.GanReport;
import dev.specnorm.examples.gan.EightGaussians;
import dev.specnorm.examples.gan.GanTrainer;
import dev.specnorm.examples.gan.Constraint;
import dev.specnorm.examples.gan.GanSummary;

/**
 * {@code specnorm gan}: trains the 8-Gaussians MLP GAN ({@link GanTrainer}; Goodfellow et al. 2014) with the
 * discriminator held by a constraint the library computes, shows a progress bar (or one line per
 * measurement when stderr is not a terminal), and writes into {@code --out}: per run
 * {@code metrics-C-seedS.csv}; per constraint (its first seed) {@code samples-C.png} (real versus generated
 * at four steps) and {@code curves-C.png}; {@code summary.csv}, and with {@code --constraint all}
 * {@code comparison.png}; and {@code index.html}. The table of final metrics (mean ± sample standard
 * deviation over the seeds) goes to stdout. Runs are independent (each its own seed, networks and state on
 * one shared backend) and train {@code --threads} at a time; each run's numbers do not depend on that.
 */
@Command(name = "gan", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = SpecnormVersion.class,
        header = "Train a small GAN on 8 Gaussians with the discriminator constrained through the library.",
        descriptionHeading = "%n",
        description = {
            "Generator and discriminator: MLPs with three hidden layers of 128 and LeakyReLU(0.2); data: 8 "
                    + "Gaussians on a ring of radius 2, std 0.02; non-saturating GAN loss, Adam (beta1 0.5). The "
                    + "discriminator is held by --constraint: none, sn (spectral normalization, one power "
                    + "iteration per forward pass), snreg (lambda sigma^2), biggan, soft, srip, or all (every "
                    + "one, on --seeds seeds, default 5). Every --every steps: losses, modes covered (of 8) and "
                    + "the share of high-quality samples (within 3 std of a mode) of 2,500 samples, the "
                    + "discriminator's Lipschitz upper bound (product of the exact sigma of its layers) and its "
                    + "largest gradient norm over real data. Every sigma, normalization, penalty and gradient of "
                    + "the constraint is computed by the library on --backend.",
            "",
            "Writes metrics-C-seedS.csv, samples-C.png, curves-C.png, summary.csv, comparison.png (all) and "
                    + "index.html into --out. The default run takes about a minute on two cores.",
            "",
            "Example: specnorm gan --constraint all --out gan-out"},
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure, including a backend that is not available here",
            "2:usage error: unknown option, bad value, missing argument"})
public final class GanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

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

    @Option(names = "--d-steps", order = 6, defaultValue = "1",
            description = "Discriminator updates per generator update. Default: 1.")
    int dSteps;

    @Option(names = "--every", order = 7, defaultValue = "100", description = "Steps between metrics. Default: 100.")
    int every;

    @Option(names = "--seed", order = 8, defaultValue = "0", description = "First seed. Default: 0.")
    long seed;

    @Option(names = "--seeds", order = 9, paramLabel = "K",
            description = "Seeds per constraint (S, S+1, ...). Default: 5 with all, else 1.")
    Integer seeds;

    @Option(names = "--threads", order = 10, paramLabel = "T",
            description = "Runs trained at once (each on one thread). Default: the number of processors.")
    Integer threads;

    @Option(names = "--out", order = 11, paramLabel = "DIR", defaultValue = "gan-out",
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
        int runs = seeds != null ? seeds : all ? 5 : 1;
        if (steps < 1 || batch < 1 || every < 1 || runs < 1 || dSteps < 1 || (threads != null && threads < 1)) {
            throw new ParameterException(spec.commandLine(),
                    "--steps, --batch, --every, --seeds, --d-steps and --threads must be at least 1");
        }
        if (!(rate > 0) || !Double.isFinite(rate) || (strength != null && !(strength >= 0 && Double.isFinite(strength)))) {
            throw new ParameterException(spec.commandLine(), "--rate must be positive and --strength non-negative");
        }
        backendOption.requireKnown();
        Files.createDirectories(out);
        PrintWriter err = spec.commandLine().getErr();
        List<GanSummary> summary = new ArrayList<>();
        List<String> images = new ArrayList<>();
        double[] real = EightGaussians.sample(GanTrainer.EVAL_SAMPLES, new Random(~seed));
        long start = System.nanoTime();
        String backendName;
        try (SpectralBackend backend = backendOption.open()) {
            backendName = backend.name();
            err.println("gan: " + backendName + " backend, " + constraints.size() + " constraint(s) x " + runs
                    + " seed(s), " + steps + " steps, batch " + batch);
            err.flush();
            int perRun = (steps + every - 1) / every + 1;
            ProgressBar bar = new ProgressBar(err, ProgressBar.wanted(false), constraints.size() * runs * perRun);
            List<Future<Run>> futures = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads(), constraints.size() * runs));
            try {
                for (Constraint c : constraints) {
                    for (int r = 0; r < runs; r++) {
                        GanTrainer.Options o = new GanTrainer.Options(c, strengthOf(c), steps, batch, rate, every,
                                seed + r, dSteps);
                        futures.add(pool.submit(() -> train(backend, o, err, bar)));
                    }
                }
                for (int i = 0; i < constraints.size(); i++) {
                    Constraint c = constraints.get(i);
                    List<GanTrainer.Metrics> finals = new ArrayList<>();
                    double[] seconds = new double[runs];
                    for (int r = 0; r < runs; r++) {
                        Run run = result(futures.get(i * runs + r));
                        seconds[r] = run.seconds();
                        finals.add(run.metrics().get(run.metrics().size() - 1));
                        if (r == 0) {
                            String title = c.cliName() + ", seed " + seed;
                            GanReport.write(out.resolve("samples-" + c.cliName() + ".png"),
                                    GanCharts.samples(title, real, GanCharts.snapshots(run.metrics())));
                            GanReport.write(out.resolve("curves-" + c.cliName() + ".png"),
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
            GanReport.write(out.resolve("comparison.png"), GanCharts.comparison(summary));
            images.add(0, "comparison.png");
        }
        GanReport.write(out.resolve("summary.csv"), GanReport.summaryCsv(summary));
        String command = String.format(Locale.ROOT, "specnorm gan --constraint %s --steps %d --batch %d --rate %s "
                + "--d-steps %d --every %d --seed %d --seeds %d%s", constraint.toLowerCase(Locale.ROOT), steps, batch,
                rate, dSteps, every, seed, runs, strength == null ? "" : " --strength " + strength);
        GanReport.write(out.resolve("index.html"), GanReport.html(command, backendName, summary, images));
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "after %d steps (%s), %s backend, %.1f s in all:%n", steps,
                runs > 1 ? "mean ± sd over seeds " + seed + ".." + (seed + runs - 1) : "seed " + seed, backendName,
                (System.nanoTime() - start) / 1e9);
        o.print(GanReport.table(summary));
        o.println("wrote " + out.resolve("index.html") + ", summary.csv, metrics-*.csv and the PNG charts");
        o.flush();
        return ExitCodes.OK;
    }

    /** One training run's measurements and its wall time. */
    private record Run(List<GanTrainer.Metrics> metrics, double seconds) {
    }

    private int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    private double strengthOf(Constraint c) {
        return strength != null ? strength : c.defaultStrength();
    }

    /** Trains one run (on a pool thread) and writes its metrics CSV. */
    private Run train(SpectralBackend backend, GanTrainer.Options o, PrintWriter err, ProgressBar bar)
            throws IOException {
        long t0 = System.nanoTime();
        List<GanTrainer.Metrics> metrics;
        try (GanTrainer trainer = new GanTrainer(backend, o)) {
            metrics = trainer.train(m -> report(err, bar, o.constraint(), o.seed(), m));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        GanReport.write(out.resolve("metrics-" + o.constraint().cliName() + "-seed" + o.seed() + ".csv"),
                GanReport.metricsCsv(metrics));
        return new Run(metrics, seconds);
    }

    private static Run result(Future<Run> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private void report(PrintWriter err, ProgressBar bar, Constraint c, long s, GanTrainer.Metrics m) {
        String line = String.format(Locale.ROOT,
                "%-6s seed %d step %5d/%d  D %.3f  G %.3f  modes %d/8  hq %.3f  prod sigma %.4g  max|grad D| %.4g",
                c.cliName(), s, m.step(), steps, m.discriminatorLoss(), m.generatorLoss(), m.modesCovered(),
                m.highQuality(), m.lipschitzBound(), m.maxGradientNorm());
        synchronized (bar) {
            if (ProgressBar.wanted(false)) {
                bar.step();
                bar.start(line);
            } else {
                err.println("  " + line);
                err.flush();
            }
        }
    }
}
