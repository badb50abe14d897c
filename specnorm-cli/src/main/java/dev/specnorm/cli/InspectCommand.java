package dev.specnorm.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.specnorm.api.Backends;
import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.cli.checkpoint.CheckpointInspector;
import dev.specnorm.cli.checkpoint.CheckpointReport;
import dev.specnorm.cli.checkpoint.Checkpoints;
import dev.specnorm.cli.checkpoint.InspectEngine;
import dev.specnorm.cli.checkpoint.InspectJson;
import dev.specnorm.cli.checkpoint.InspectOptions;
import dev.specnorm.cli.checkpoint.InspectProgress;
import dev.specnorm.cli.checkpoint.InspectReportFiles;
import dev.specnorm.cli.checkpoint.LayerReport;
import dev.specnorm.examples.study.ProgressBar;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code specnorm inspect}: the per-layer spectral report of a checkpoint, or of every checkpoint in a folder. */
@Command(
        name = "inspect",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = SpecnormVersion.class,
        header = "Per-layer spectral norms of a model checkpoint: safetensors, PyTorch .pt/.pth/.bin, .npz, .npy.",
        descriptionHeading = "%n",
        description = {
            "One row per weight tensor of rank >= 2 (1-D biases and norm parameters are skipped and counted): its "
                    + "matrix view, sigma_1 (exact, Lanczos with its bound, or power), sigma-hat after K power "
                    + "steps and its relative error, the Frobenius norm, the stable rank ||W||_F^2/sigma_1^2, for "
                    + "4-D convolution weights the operator norm of the stride-1 convolution on an NxN input "
                    + "(zero padding: operator power iteration; circular padding: exact, Sedghi et al.), and the "
                    + "product of sigma_1 over the layers (the Lipschitz upper bound of a plain feed-forward stack). "
                    + "Float16 and bfloat16 weights are converted exactly to float32. PyTorch pickles are read by a "
                    + "restricted unpickler that never runs code. Formats and refusals: docs/CHECKPOINTS.md.",
            "",
            "A directory inspects every checkpoint in it, sorted by name (numbers in names compare as numbers), "
                    + "and --out adds a chart of each layer's sigma_1 over the checkpoints.",
            "",
            "Example: specnorm inspect model.safetensors --method lanczos --out report"
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE, ExitCodes.INVALID_INPUT_LINE})
public final class InspectCommand implements Callable<Integer> {

    /** How many of the largest layers get a spectrum histogram with --out. */
    static final int SPECTRUM_LAYERS = 4;

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "FILE|DIR",
            description = "A checkpoint (.safetensors, PyTorch zip .pt/.pth/.bin, .npz, .npy) or a directory of them. "
                    + "Read, never modified.")
    Path input;

    @Option(
            names = "--layers",
            order = 1,
            paramLabel = "REGEX",
            description = "Inspect only the tensors whose name this regular expression finds (anywhere in the name).")
    String layers;

    @Option(
            names = "--reshape",
            order = 2,
            paramLabel = "HOW",
            converter = ReshapeConverter.class,
            completionCandidates = ReshapeConverter.class,
            description = "How 4-D weights (out, in, kh, kw) become matrices: filters (default: one out x in*kh*kw "
                    + "matrix, as SN-GAN), slices (out*in matrices of kh x kw; sigma_1 is their largest) or "
                    + "transposed. Other ranks: one d0 x (d1*...) matrix.")
    ConvolutionReshape reshape = ConvolutionReshape.FILTERS;

    @Option(
            names = "--method",
            order = 3,
            paramLabel = "METHOD",
            converter = SigmaCommand.MethodConverter.class,
            completionCandidates = SigmaCommand.MethodConverter.class,
            description = "sigma_1 by exact (SVD, default), lanczos (with a residual bound) or power (the "
                    + "estimate after --iterations steps, a lower bound).")
    SigmaCommand.Method method = SigmaCommand.Method.EXACT;

    @Option(
            names = "--iterations",
            order = 4,
            paramLabel = "K",
            description = "Power steps after which sigma-hat and its error are reported. Default: 10.")
    int iterations = 10;

    @Option(
            names = "--seed",
            order = 5,
            paramLabel = "S",
            description = "Seed of the power iteration's and Lanczos' start vectors. Default: 0.")
    long seed;

    @Option(
            names = "--input-size",
            order = 6,
            paramLabel = "N",
            description = "Side of the square input of the convolution operator norms. Default: 32.")
    int inputSize = 32;

    @Option(
            names = "--void2",
            order = 7,
            paramLabel = "bfloat16",
            description = "Read NumPy '|V2' arrays (2 bytes of no declared type; ml_dtypes writes bfloat16 so) "
                    + "as bfloat16. Without it such arrays are refused.")
    String void2;

    @Option(
            names = "--out",
            order = 8,
            paramLabel = "DIR",
            description = "Also write layers.csv, report.json, PNG charts and an offline index.html into DIR.")
    Path out;

    @Option(
            names = "--engine",
            order = 9,
            paramLabel = "ENGINE",
            description = "Where a directory is inspected: local (default: this JVM, one file after the other) or "
                    + "spark (one Spark task per file, on local[*] in this JVM unless --master says otherwise; "
                    + "needs the specnorm-spark module, run specnorm-spark/specnorm-spark; a file that cannot be "
                    + "read is reported and the others are kept). DIR may then be any Hadoop file system URI. "
                    + "docs/SPARK.md.")
    String engine = "local";

    @Option(
            names = "--master",
            order = 10,
            paramLabel = "URL",
            description = "With --engine spark: the Spark master (local[2], spark://host:7077, yarn, ...).")
    String master;

    @Mixin
    BackendOption backendOption;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        InspectOptions options = validate();
        backendOption.requireKnown();
        if (!engine.equals("local")) {
            return inspectWith(engine(), options);
        }
        List<Path> files = checkpoints();
        PrintWriter err = spec.commandLine().getErr();
        boolean bar = ProgressBar.wanted(output.json());
        List<CheckpointReport> reports = new ArrayList<>();
        Map<String, byte[]> written = null;
        try (SpectralBackend backend = backendOption.open()) {
            for (Path file : files) {
                ProgressAdapter progress = new ProgressAdapter(err, bar);
                try {
                    reports.add(new CheckpointInspector(backend, options, progress).inspect(file));
                } catch (IOException e) {
                    progress.abandon();
                    throw InvalidInputException.reading(file, e);
                }
            }
        }
        if (out != null) {
            written = Files.isDirectory(input)
                    ? InspectReportFiles.directoryFiles(input.toString(), reports)
                    : InspectReportFiles.files(reports.get(0));
            write(written);
        }
        print(reports, written, Files.isDirectory(input), input.toString());
        return ExitCodes.OK;
    }

    /** The engine --engine names, found through {@link ServiceLoader}. */
    private InspectEngine engine() {
        List<String> found = new ArrayList<>();
        for (InspectEngine e : ServiceLoader.load(InspectEngine.class)) {
            if (e.name().equals(engine)) {
                return e;
            }
            found.add(e.name());
        }
        throw usage("--engine " + engine + " is not on the class path (engines here: local"
                + (found.isEmpty() ? "" : ", " + String.join(", ", found)) + ")"
                + (engine.equals("spark")
                        ? "; the Spark engine is the specnorm-spark module: run "
                                + "specnorm-spark/specnorm-spark inspect ... --engine spark, or spark-submit its jar (docs/SPARK.md)"
                        : ""));
    }

    /** Inspects through {@code e}: failed files are listed on stderr (and in failures.csv), the rest reported. */
    private Integer inspectWith(InspectEngine e, InspectOptions options) throws Exception {
        String where = spec.positionalParameters().get(0).originalStringValues().get(0);
        boolean oneFile = Files.isRegularFile(input);
        if (out != null) {
            Files.createDirectories(out);
        }
        PrintWriter err = spec.commandLine().getErr();
        InspectEngine.Result result;
        try {
            result = e.inspect(
                    new InspectEngine.Request(where, options, Backends.requested(backendOption.backend), master, out),
                    new ProgressAdapter(err, ProgressBar.wanted(output.json())));
        } catch (IOException ex) {
            throw new InvalidInputException(where + ": " + ex.getMessage(), ex);
        }
        List<CheckpointReport> reports = new ArrayList<>(result.reports());
        reports.sort(Comparator.comparing(r -> r.file().getFileName().toString(), InspectCommand::compareNatural));
        for (InspectEngine.Failure f : result.failures()) {
            err.println("specnorm: " + f.file() + ": not inspected: " + f.message());
        }
        err.flush();
        Map<String, byte[]> written = null;
        if (out != null && !reports.isEmpty()) {
            written = new LinkedHashMap<>(
                    oneFile
                            ? InspectReportFiles.files(reports.get(0))
                            : InspectReportFiles.directoryFiles(where, reports));
            StringBuilder csv = new StringBuilder("checkpoint,error\n");
            for (InspectEngine.Failure f : result.failures()) {
                csv.append(csvField(f.file()))
                        .append(',')
                        .append(csvField(f.message()))
                        .append('\n');
            }
            written.put("failures.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
            write(written);
        }
        if (reports.isEmpty()) {
            throw new InvalidInputException(
                    where + ": none of the " + result.failures().size() + " checkpoints could be inspected");
        }
        print(reports, written, !oneFile, where);
        if (out != null && !output.json()) {
            PrintWriter o = spec.commandLine().getOut();
            o.println("engine " + e.name() + " also wrote " + String.join(", ", result.files()) + " to " + out);
            o.flush();
        }
        return ExitCodes.OK;
    }

    private static String csvField(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private InspectOptions validate() {
        Pattern pattern = null;
        if (layers != null) {
            try {
                pattern = Pattern.compile(layers);
            } catch (PatternSyntaxException e) {
                throw usage("--layers '" + layers + "' is not a regular expression: " + e.getDescription());
            }
        }
        if (iterations < 1) {
            throw usage("--iterations must be at least 1, got " + iterations);
        }
        if (inputSize < 1 || inputSize > 1024) {
            throw usage("--input-size must be in 1..1024, got " + inputSize);
        }
        if (void2 != null && !void2.equalsIgnoreCase("bfloat16")) {
            throw usage("--void2 takes only bfloat16 (the one 2-byte type it can stand for), got '" + void2 + "'");
        }
        if (master != null && engine.equals("local")) {
            throw usage("--master is for --engine spark");
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw usage("--out " + out + " is a file, not a directory");
        }
        InspectOptions.Method m = InspectOptions.Method.valueOf(method.name());
        return new InspectOptions(
                pattern, reshape, m, iterations, seed, inputSize, void2 != null, out == null ? 0 : SPECTRUM_LAYERS);
    }

    /** The file, or the directory's checkpoints in natural order. */
    private List<Path> checkpoints() throws InvalidInputException {
        if (!Files.isDirectory(input)) {
            if (!Files.exists(input)) {
                throw new InvalidInputException(input + ": no such file");
            }
            return List.of(input);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(input)) {
            files = new ArrayList<>(list.filter(Files::isRegularFile)
                    .filter(p -> Checkpoints.SUFFIXES.stream()
                            .anyMatch(s -> p.getFileName()
                                    .toString()
                                    .toLowerCase(Locale.ROOT)
                                    .endsWith(s)))
                    .toList());
        } catch (IOException e) {
            throw InvalidInputException.reading(input, e);
        }
        if (files.isEmpty()) {
            throw new InvalidInputException(input + ": no checkpoints in this directory (files ending in "
                    + String.join(", ", Checkpoints.SUFFIXES) + ")");
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString(), InspectCommand::compareNatural));
        return files;
    }

    /** Compares names so that digit runs compare as numbers: epoch-2 before epoch-10. */
    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String da = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String db = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = da.length() != db.length() ? Integer.compare(da.length(), db.length()) : da.compareTo(db);
                if (c != 0) {
                    return c;
                }
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j) != 0
                ? Integer.compare(a.length() - i, b.length() - j)
                : a.compareTo(b);
    }

    private void write(Map<String, byte[]> files) throws IOException {
        if (WeightCommand.sameFile(out, input)) {
            throw usage("--out " + out + " is the input; inputs are never overwritten");
        }
        Files.createDirectories(out);
        try (OutputFiles staged = new OutputFiles()) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path target = out.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                staged.stage(target, o -> o.write(f.getValue()));
            }
            staged.commit();
        }
    }

    private void print(List<CheckpointReport> reports, Map<String, byte[]> written, boolean directory, String name)
            throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (output.json()) {
            try (JsonGenerator j = new JsonFactory().createGenerator(new NonClosing(o))) {
                if (directory) {
                    InspectJson.writeDirectory(j, name, reports);
                } else {
                    InspectJson.write(j, reports.get(0));
                }
            }
            o.println();
            o.flush();
            return;
        }
        for (CheckpointReport r : reports) {
            printText(o, r);
        }
        if (written != null) {
            o.println("wrote " + written.size() + " files to " + out + "; open " + out.resolve("index.html"));
        }
        o.flush();
    }

    private static void printText(PrintWriter o, CheckpointReport r) {
        InspectOptions opt = r.options();
        o.println(r.file() + ": " + r.format() + ", " + r.tensors() + " tensors; backend " + r.backend());
        TextTable table = new TextTable(
                "layer",
                "shape",
                "dtype",
                "matrix view",
                "sigma_1",
                "bound",
                "sigma-hat(K=" + opt.iterations() + ")",
                "error",
                "||W||_F",
                "stable rank",
                "conv zero-pad",
                "conv circular");
        for (LayerReport l : r.layers()) {
            table.row(
                    l.name(),
                    l.shapeText(),
                    l.dtype().typeName(),
                    l.viewText(),
                    TextTable.value(l.sigma()),
                    cell(l.residualBound(), true),
                    TextTable.value(l.powerSigma()),
                    cell(l.powerRelativeError(), true),
                    TextTable.value(l.frobenius()),
                    cell(l.stableRank(), false),
                    cell(l.convOperatorNorm(), false)
                            + (l.shape().length == 4 && !l.convOperatorConverged() ? "*" : ""),
                    cell(l.convCircularNorm(), false));
        }
        table.print(o);
        o.println("sigma_1 by " + opt.method() + "; sigma-hat after " + opt.iterations() + " power steps (seed "
                + opt.seed() + "), error |sigma-hat - sigma_1|/sigma_1"
                + (r.layers().stream().anyMatch(l -> l.shape().length == 4)
                        ? "; convolution norms: stride 1, " + opt.inputSize() + "x" + opt.inputSize() + " input"
                        : ""));
        if (r.layers().stream().anyMatch(l -> l.shape().length == 4 && !l.convOperatorConverged())) {
            o.println("* operator power iteration reached its cap (" + CheckpointInspector.CONV_MIN_ITERATIONS + " to "
                    + CheckpointInspector.CONV_MAX_ITERATIONS + " steps by layer size) before converging: a lower "
                    + "estimate of the zero-padded convolution's norm");
        }
        o.println(r.layers().size() + " layers inspected; skipped " + r.skippedLowRank()
                + " tensors of rank < 2 (biases, norm parameters)"
                + (r.skippedNotSelected() > 0 ? " and " + r.skippedNotSelected() + " not matching --layers" : ""));
        if (!r.layers().isEmpty()) {
            o.println("product of sigma_1 over the " + r.layers().size() + " layers: " + product(r)
                    + " (Lipschitz upper bound of a plain feed-forward stack)");
        }
    }

    private static String product(CheckpointReport r) {
        double p = r.sigmaProduct();
        return Double.isFinite(p) && p > 0 ? TextTable.value(p) : "10^" + TextTable.value(r.log10SigmaProduct());
    }

    private static String cell(double v, boolean small) {
        return Double.isFinite(v) ? (small ? TextTable.small(v) : TextTable.value(v)) : "-";
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Draws {@link ProgressBar} for one checkpoint. */
    private static final class ProgressAdapter implements InspectProgress {
        private final PrintWriter err;
        private final boolean enabled;
        private ProgressBar bar;

        ProgressAdapter(PrintWriter err, boolean enabled) {
            this.err = err;
            this.enabled = enabled;
        }

        @Override
        public void start(String what, int units) {
            bar = new ProgressBar(err, enabled, units);
            bar.start(what);
        }

        @Override
        public void step(String what) {
            bar.step();
        }

        @Override
        public void finish() {
            bar.finish();
        }

        /** Ends a bar's line before an error is printed. */
        void abandon() {
            if (bar != null && enabled) {
                err.println();
            }
        }
    }

    /** Lets the JSON generator close without closing stdout. */
    private static final class NonClosing extends FilterWriter {
        NonClosing(Writer w) {
            super(w);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
