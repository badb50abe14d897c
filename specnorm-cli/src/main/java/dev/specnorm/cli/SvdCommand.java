package dev.specnorm.cli;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.cli.io.NpyArray;
import dev.specnorm.cli.io.NpyWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code specnorm svd}: exact singular values of every matrix, and optionally thin U, S, Vh files. */
@Command(
        name = "svd",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = SpecnormVersion.class,
        header = "Exact singular values (descending) of every matrix in an .npy file.",
        descriptionHeading = "%n",
        description = {
            "With --out PREFIX also writes the thin SVD W = U diag(S) Vh in NumPy's "
                    + "numpy.linalg.svd(W, full_matrices=False) convention, as float32: PREFIX-U.npy (m x r), "
                    + "PREFIX-S.npy (r) and PREFIX-Vh.npy (r x n), r = min(m, n); a batch of B matrices gives "
                    + "B x m x r, B x r and B x r x n. Singular vectors are unique only up to sign.",
            "",
            "Example: specnorm svd w.npy --out w-svd"
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE, ExitCodes.INVALID_INPUT_LINE})
public final class SvdCommand extends WeightCommand {

    @Option(
            names = "--out",
            order = 1,
            paramLabel = "PREFIX",
            description = "Also write PREFIX-U.npy, PREFIX-S.npy and PREFIX-Vh.npy (atomically).")
    String prefix;

    @Override
    void validate() {
        if (prefix != null) {
            for (Path file : outputFiles().values()) {
                requireNotInput(file, "--out");
            }
        }
    }

    @Override
    void run(SpectralBackend backend, Weights weights) throws IOException {
        List<MatrixBatch> w = weights.asList();
        boolean vectors = prefix != null;
        RepeatOption.Timed<List<SingularDecomposition>> timed = repeat.run(() -> backend.svd(w, vectors));
        List<SingularDecomposition> svd = timed.result();
        float[][] values = new float[svd.size()][];
        for (int k = 0; k < values.length; k++) {
            values[k] = svd.get(k).values();
        }
        Map<String, Path> files = vectors ? outputFiles() : Map.of();
        if (vectors) {
            write(weights, svd, files);
        }
        if (output.json()) {
            JsonReport report = JsonReport.of("svd", weights, backend).put("singularValues", values);
            if (vectors) {
                report.put("files", new LinkedHashMap<>(files));
            }
            report.putTiming(timed).print(out());
            return;
        }
        printHeading(weights, backend);
        out().println("singular values, descending:");
        for (int k = 0; k < values.length; k++) {
            printValues(k, values[k]);
        }
        if (vectors) {
            out().println("wrote "
                    + String.join(
                            ", ", files.values().stream().map(Path::toString).toList()));
        }
        printTiming(timed);
    }

    private Map<String, Path> outputFiles() {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String part : List.of("U", "S", "Vh")) {
            files.put(part, Path.of(prefix + "-" + part + ".npy"));
        }
        return files;
    }

    private static void write(Weights weights, List<SingularDecomposition> svd, Map<String, Path> files)
            throws IOException {
        BatchShape s = weights.shape();
        int m = s.rows();
        int n = s.cols();
        int r = s.rank();
        int b = s.batch();
        float[] u = new float[b * m * r];
        float[] values = new float[b * r];
        float[] vt = new float[b * r * n];
        for (int k = 0; k < b; k++) {
            SingularDecomposition d = svd.get(k);
            System.arraycopy(d.u(), 0, u, k * m * r, m * r);
            System.arraycopy(d.values(), 0, values, k * r, r);
            System.arraycopy(d.vt(), 0, vt, k * r * n, r * n);
        }
        boolean single = weights.isSingleMatrix();
        NpyArray uArray = NpyArray.ofFloat32(single ? new int[] {m, r} : new int[] {b, m, r}, u);
        NpyArray sArray = NpyArray.ofFloat32(single ? new int[] {r} : new int[] {b, r}, values);
        NpyArray vtArray = NpyArray.ofFloat32(single ? new int[] {r, n} : new int[] {b, r, n}, vt);
        try (OutputFiles outputs = new OutputFiles()) {
            outputs.stage(files.get("U"), out -> NpyWriter.write(uArray, out));
            outputs.stage(files.get("S"), out -> NpyWriter.write(sArray, out));
            outputs.stage(files.get("Vh"), out -> NpyWriter.write(vtArray, out));
            outputs.commit();
        }
    }

    private void printValues(int matrix, float[] values) {
        StringBuilder line = new StringBuilder("  matrix " + matrix + ":");
        int indent = line.length();
        for (int i = 0; i < values.length; i++) {
            if (i > 0 && i % 6 == 0) {
                out().println(line);
                line = new StringBuilder(" ".repeat(indent));
            }
            line.append(' ').append(TextTable.value(values[i]));
        }
        out().println(line);
    }
}
