package dev.specnorm.cli;

import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.cli.io.NpyReader;
import dev.specnorm.examples.study.ConvLayerSpec;
import dev.specnorm.examples.study.Populations;
import dev.specnorm.examples.study.ProgressBar;
import dev.specnorm.examples.study.StudyConfig;
import dev.specnorm.examples.study.StudyReport;
import dev.specnorm.examples.study.StudyResult;
import dev.specnorm.examples.study.StudyRunner;
import dev.specnorm.examples.study.Subject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code specnorm study}: how far power iteration is from the exact σ, and what each costs, on generated
 * populations or the user's weights, with CSV, JSON, PNG charts and an {@code index.html}
 * ({@link dev.specnorm.examples.study}).
 */
@Command(
        name = "study",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = SpecnormVersion.class,
        header = "Exact versus approximate: accuracy and cost of power iteration, with charts and a report.",
        descriptionHeading = "%n",
        description = {
            "For every matrix of a population: the exact spectrum (values-only SVD), power iteration after each "
                    + "of --iterations from a cold start (warm-up 0) and from a warm state carried across 200 drift "
                    + "steps W <- W + delta*|W|_F/sqrt(mn)*N(0,1) with one iteration each, top-k by deflation against the exact top-k, the "
                    + "relative error distribution, the check sigma_hat <= sigma(1 + 1e-6) on every sample, and "
                    + "time per method. With the sngan population, per conv layer: the zero-padded strided "
                    + "operator norm (power iteration on the operator), the circular-padding norm (Sedghi et al. "
                    + "2019) and the reshaped-kernel sigma. Writes samples.csv (reproducible for a seed and "
                    + "backend), timings.csv, conv.csv, study.json, PNG charts and index.html into --out.",
            "",
            "Populations: gaussian (n x n, n x n/4, n/4 x n for each --sizes n), gap (U diag(s) V^T with sigma2/"
                    + "sigma1 = 0.5, 0.9, 0.99, 0.999 and a repeated top value), sngan (the SN-GAN discriminator's "
                    + "conv weights, FILTERS and SLICES reshapes), all (default); or --input FILE.npy|DIR (FILTERS "
                    + "reshape for 4-D)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE, ExitCodes.INVALID_INPUT_LINE})
final class StudyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--population",
            order = 10,
            paramLabel = "NAME",
            description = "all (default), gaussian, gap or sngan.")
    String population;

    @Option(
            names = "--input",
            order = 11,
            paramLabel = "PATH",
            description = "A .npy file, or a directory of them, to study instead of a generated population.")
    Path input;

    @Option(
            names = "--sizes",
            order = 12,
            split = ",",
            paramLabel = "N",
            description = "Sides of the Gaussian matrices. Default 128,256,512,1024,2048 (--quick: 32,64,128).")
    List<Integer> sizes;

    @Option(
            names = "--iterations",
            order = 13,
            split = ",",
            paramLabel = "K",
            description = "Iteration counts to measure. Default 1,2,5,10,20,50,100.")
    List<Integer> iterations;

    @Option(names = "--seed", order = 14, paramLabel = "S", description = "Seed of everything generated. Default 0.")
    Long seed;

    @Option(
            names = "--delta",
            order = 15,
            paramLabel = "D",
            description = "Relative drift per step of the warm runs. Default 1e-3.")
    Double delta;

    @Option(names = "--out", order = 16, paramLabel = "DIR", description = "Output folder. Default study-out.")
    Path out = Path.of("study-out");

    @Option(
            names = "--quick",
            order = 17,
            description = "Small sizes and SN-GAN channels / 8: every output in well under a minute.")
    boolean quick;

    @Mixin
    BackendOption backendOption;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        StudyConfig config = validate();
        backendOption.requireKnown();
        List<Subject> subjects = new ArrayList<>();
        List<ConvLayerSpec> conv = new ArrayList<>();
        if (input != null) {
            subjects.addAll(loadInput(input));
        } else {
            for (String p : config.populations()) {
                switch (p) {
                    case "gaussian" -> subjects.addAll(Populations.gaussian(config));
                    case "gap" -> subjects.addAll(Populations.gap(config));
                    case "sngan" -> {
                        conv.addAll(Populations.snganLayers(config));
                        subjects.addAll(Populations.sngan(config, conv));
                    }
                    default -> throw new IllegalStateException(p);
                }
            }
        }
        Map<String, byte[]> files;
        String backendName;
        PrintWriter err = spec.commandLine().getErr();
        try (SpectralBackend backend = backendOption.open()) {
            backendName = backend.name();
            ProgressBar progress =
                    new ProgressBar(err, ProgressBar.wanted(output.json()), StudyRunner.work(subjects, conv));
            StudyResult result = new StudyRunner(backend, config, progress).run(subjects, conv);
            files = StudyReport.files(result);
            progress.finish();
        }
        Files.createDirectories(out);
        try (OutputFiles staged = new OutputFiles()) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                staged.stage(out.resolve(f.getKey()), o -> o.write(f.getValue()));
            }
            staged.commit();
        }
        print(backendName, files);
        return ExitCodes.OK;
    }

    private StudyConfig validate() {
        if (input != null && population != null) {
            throw usage("--input and --population do not go together");
        }
        StudyConfig config = StudyConfig.defaults(quick);
        List<String> populations = null;
        if (population != null) {
            if (population.equals("all")) {
                populations = StudyConfig.POPULATIONS;
            } else if (StudyConfig.POPULATIONS.contains(population)) {
                populations = List.of(population);
            } else {
                throw usage("unknown population '" + population + "': all, gaussian, gap or sngan");
            }
        }
        if (sizes != null) {
            for (int s : sizes) {
                if (s < 4 || s > 16384) {
                    throw usage("--sizes: " + s + " is not in 4..16384");
                }
            }
        }
        List<Integer> ks = null;
        if (iterations != null) {
            TreeSet<Integer> set = new TreeSet<>(iterations);
            if (set.first() < 1 || set.last() > 100_000) {
                throw usage("--iterations must be in 1..100000");
            }
            ks = List.copyOf(set);
        }
        if (delta != null && !(delta >= 0 && delta < 1)) {
            throw usage("--delta must be in [0, 1)");
        }
        return config.with(populations, sizes == null ? null : List.copyOf(new TreeSet<>(sizes)), ks, seed, delta);
    }

    private List<Subject> loadInput(Path path) throws InvalidInputException {
        List<Path> paths = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(path, "*.npy")) {
                dir.forEach(paths::add);
            } catch (IOException e) {
                throw InvalidInputException.reading(path, e);
            }
            if (paths.isEmpty()) {
                throw new InvalidInputException(path + ": no .npy files in this directory");
            }
            paths.sort(null);
        } else if (Files.exists(path)) {
            paths.add(path);
        } else {
            throw new InvalidInputException(path + ": no such file or directory");
        }
        List<Subject> subjects = new ArrayList<>();
        for (Path p : paths) {
            Weights w;
            try {
                w = Weights.of(p, NpyReader.read(p), ConvolutionReshape.FILTERS);
            } catch (IOException e) {
                throw InvalidInputException.reading(p, e);
            }
            subjects.add(new Subject("input", p.getFileName().toString(), w.shapeText(), Double.NaN, w.batch()));
        }
        return subjects;
    }

    private void print(String backendName, Map<String, byte[]> files) throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (output.json()) {
            JsonReport.of("study")
                    .put("backend", backendName)
                    .put("out", out)
                    .put("files", List.copyOf(files.keySet()))
                    .print(o);
        } else {
            o.println("study on backend " + backendName + ": wrote " + files.size() + " files to " + out + ": "
                    + String.join(", ", files.keySet()));
            o.println("open " + out.resolve("index.html") + " for the charts and the summary table");
        }
        o.flush();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
