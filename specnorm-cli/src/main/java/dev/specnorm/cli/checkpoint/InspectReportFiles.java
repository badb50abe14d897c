package dev.specnorm.cli.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files {@code specnorm inspect --out DIR} writes, by name: for one checkpoint {@code layers.csv},
 * {@code report.json}, {@code sigma-per-layer.png}, {@code spectrum.png} and an offline {@code index.html}
 * (relative image links); for a directory, {@code checkpoints.csv} (one row per checkpoint and layer),
 * {@code report.json}, {@code sigma-over-checkpoints.png}, {@code index.html}, and each checkpoint's own
 * files under a folder named after it.
 */
public final class InspectReportFiles {

    static final String CSV_HEADER = "layer,shape,dtype,matrices,rows,cols,sigma1,residual_bound,power_sigma,"
            + "power_relative_error,frobenius,stable_rank,conv_operator_norm,conv_circular_norm";

    private static final JsonFactory JSON = new JsonFactory();

    private InspectReportFiles() {}

    /** The files of one checkpoint's report, charts without data left out. */
    public static Map<String, byte[]> files(CheckpointReport r) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (LayerReport l : r.layers()) {
            csv.append(csvRow(l)).append('\n');
        }
        files.put("layers.csv", utf8(csv.toString()));
        files.put("report.json", json(j -> InspectJson.write(j, r)));
        putIfPresent(files, "sigma-per-layer.png", InspectCharts.sigmaPerLayer(r));
        putIfPresent(files, "spectrum.png", InspectCharts.spectrumHistogram(r));
        files.put("index.html", utf8(html(r, files)));
        return files;
    }

    /** The files of a directory's report; each checkpoint's files are under {@code NAME/}. */
    public static Map<String, byte[]> directoryFiles(String directory, List<CheckpointReport> reports)
            throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        StringBuilder csv = new StringBuilder("checkpoint,").append(CSV_HEADER).append('\n');
        for (CheckpointReport r : reports) {
            for (LayerReport l : r.layers()) {
                csv.append(csvField(r.file().getFileName().toString()))
                        .append(',')
                        .append(csvRow(l))
                        .append('\n');
            }
        }
        files.put("checkpoints.csv", utf8(csv.toString()));
        files.put("report.json", json(j -> InspectJson.writeDirectory(j, directory, reports)));
        putIfPresent(files, "sigma-over-checkpoints.png", InspectCharts.sigmaOverCheckpoints(reports));
        StringBuilder h = head("specnorm inspect: " + directory);
        h.append("<h1>")
                .append(escape(directory))
                .append(": ")
                .append(reports.size())
                .append(" checkpoints</h1>\n");
        if (files.containsKey("sigma-over-checkpoints.png")) {
            h.append("<p><img src=\"sigma-over-checkpoints.png\" alt=\"sigma_1 over checkpoints\"></p>\n");
        }
        h.append("<table>\n<tr><th>checkpoint</th><th>format</th><th>layers</th><th>log10 product of σ₁</th></tr>\n");
        for (CheckpointReport r : reports) {
            String name = r.file().getFileName().toString();
            h.append("<tr><td><a href=\"")
                    .append(escape(name))
                    .append("/index.html\">")
                    .append(escape(name))
                    .append("</a></td><td>")
                    .append(r.format())
                    .append("</td><td>")
                    .append(r.layers().size())
                    .append("</td><td>")
                    .append(number(r.log10SigmaProduct()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n<p>Data: <a href=\"checkpoints.csv\">checkpoints.csv</a>, "
                + "<a href=\"report.json\">report.json</a></p>\n</body></html>\n");
        files.put("index.html", utf8(h.toString()));
        for (CheckpointReport r : reports) {
            String prefix = r.file().getFileName().toString() + "/";
            for (Map.Entry<String, byte[]> e : files(r).entrySet()) {
                files.put(prefix + e.getKey(), e.getValue());
            }
        }
        return files;
    }

    private static String csvRow(LayerReport l) {
        return String.join(
                ",",
                csvField(l.name()),
                l.shapeText(),
                l.dtype().typeName(),
                String.valueOf(l.matrices()),
                String.valueOf(l.rows()),
                String.valueOf(l.cols()),
                number(l.sigma()),
                number(l.residualBound()),
                number(l.powerSigma()),
                number(l.powerRelativeError()),
                number(l.frobenius()),
                number(l.stableRank()),
                number(l.convOperatorNorm()),
                number(l.convCircularNorm()));
    }

    private static String html(CheckpointReport r, Map<String, byte[]> files) {
        String name = r.file().getFileName().toString();
        StringBuilder h = head("specnorm inspect: " + name);
        h.append("<h1>")
                .append(escape(name))
                .append("</h1>\n<p>")
                .append(r.format())
                .append(", ")
                .append(r.tensors())
                .append(" tensors: ")
                .append(r.layers().size())
                .append(" layers inspected, ")
                .append(r.skippedLowRank())
                .append(" of rank &lt; 2 skipped (biases, norm parameters), ")
                .append(r.skippedNotSelected())
                .append(" not selected. σ₁ by ")
                .append(r.options().method())
                .append(" on backend ")
                .append(escape(r.backend()))
                .append("; σ̂ after ")
                .append(r.options().iterations())
                .append(" power steps (seed ")
                .append(r.options().seed())
                .append("); convolution norms at ")
                .append(r.options().inputSize())
                .append("×")
                .append(r.options().inputSize())
                .append(", stride 1.</p>\n")
                .append(
                        "<p>Product of σ₁ over the layers (the Lipschitz upper bound of a plain feed-forward stack): 10^")
                .append(number(r.log10SigmaProduct()))
                .append("</p>\n");
        for (String chart : List.of("sigma-per-layer.png", "spectrum.png")) {
            if (files.containsKey(chart)) {
                h.append("<p><img src=\"")
                        .append(chart)
                        .append("\" alt=\"")
                        .append(chart)
                        .append("\"></p>\n");
            }
        }
        h.append("<table>\n<tr><th>layer</th><th>shape</th><th>dtype</th><th>matrix view</th><th>σ₁</th>")
                .append("<th>bound</th><th>σ̂ (K=")
                .append(r.options().iterations())
                .append(")</th><th>error</th>")
                .append("<th>‖W‖_F</th><th>stable rank</th><th>‖conv‖₂ zero pad</th><th>‖conv‖₂ circular</th></tr>\n");
        for (LayerReport l : r.layers()) {
            h.append("<tr><td>")
                    .append(escape(l.name()))
                    .append("</td><td>")
                    .append(l.shapeText())
                    .append("</td><td>")
                    .append(l.dtype().typeName())
                    .append("</td><td>")
                    .append(l.viewText())
                    .append("</td>");
            for (double v : new double[] {
                l.sigma(),
                l.residualBound(),
                l.powerSigma(),
                l.powerRelativeError(),
                l.frobenius(),
                l.stableRank(),
                l.convOperatorNorm(),
                l.convCircularNorm()
            }) {
                h.append("<td>")
                        .append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "")
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("""
                </table>
                <p>Data: <a href="layers.csv">layers.csv</a>, <a href="report.json">report.json</a></p>
                </body></html>
                """);
        return h.toString();
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child{text-align:left}"
                        + "img{max-width:100%}</style></head><body>\n");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private interface JsonWriter {
        void write(JsonGenerator j) throws IOException;
    }

    private static byte[] json(JsonWriter writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator j = JSON.createGenerator(bytes)) {
            j.useDefaultPrettyPrinter();
            writer.write(j);
        }
        return bytes.toByteArray();
    }

    private static void putIfPresent(Map<String, byte[]> files, String name, byte[] png) {
        if (png != null) {
            files.put(name, png);
        }
    }
}
