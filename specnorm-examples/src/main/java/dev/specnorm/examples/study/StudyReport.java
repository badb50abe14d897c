package dev.specnorm.examples.study;

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
 * The files of a study, by name: {@code samples.csv} (every estimate; reproducible: the same seed gives the
 * same file on the same backend), {@code timings.csv} (the costs, which vary run to run), {@code conv.csv},
 * {@code study.json} (all of it, timings in their own section), the PNG charts and {@code index.html}
 * (offline, relative image links).
 */
public final class StudyReport {

    /** The chart files, in the order index.html shows them. */
    public static final List<String> CHARTS =
            List.of("error-vs-iterations.png", "error-vs-iterations-warm.png", "time-vs-size.png", "conv-ratios.png");

    private StudyReport() {}

    /** Every output file's name and content, charts that have no data left out. */
    public static Map<String, byte[]> files(StudyResult result) throws IOException {
        List<Summary.Stat> stats = Summary.stats(result.samples());
        List<Summary.Law> laws = Summary.laws(stats);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("samples.csv", samplesCsv(result.samples()));
        StringBuilder t = new StringBuilder(Timing.CSV_HEADER).append('\n');
        result.timings().forEach(x -> t.append(x.csv()).append('\n'));
        files.put("timings.csv", t.toString().getBytes(StandardCharsets.UTF_8));
        if (!result.conv().isEmpty()) {
            StringBuilder c = new StringBuilder(StudyResult.ConvResult.CSV_HEADER).append('\n');
            result.conv().forEach(x -> c.append(x.csv()).append('\n'));
            files.put("conv.csv", c.toString().getBytes(StandardCharsets.UTF_8));
        }
        files.put("study.json", json(result, stats, laws));
        putIfPresent(
                files,
                "error-vs-iterations.png",
                Charts.errorVersusIterations(
                        stats, "cold", "Power iteration from a cold start: median relative error versus iterations"));
        putIfPresent(
                files,
                "error-vs-iterations-warm.png",
                Charts.errorVersusIterations(
                        stats,
                        "warm",
                        "From a warm persistent state (after drift, δ = "
                                + result.config().delta() + ")"));
        putIfPresent(files, "time-vs-size.png", Charts.timeVersusSize(result.timings()));
        putIfPresent(files, "conv-ratios.png", Charts.convRatios(result.conv()));
        files.put("index.html", html(result, stats, laws, files).getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** samples.csv. */
    public static byte[] samplesCsv(List<Sample> samples) {
        StringBuilder s = new StringBuilder(Sample.CSV_HEADER).append('\n');
        samples.forEach(x -> s.append(x.csv()).append('\n'));
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void putIfPresent(Map<String, byte[]> files, String name, byte[] png) {
        if (png != null) {
            files.put(name, png);
        }
    }

    private static byte[] json(StudyResult r, List<Summary.Stat> stats, List<Summary.Law> laws) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator j = new JsonFactory().createGenerator(bytes)) {
            j.useDefaultPrettyPrinter();
            j.writeStartObject();
            j.writeStringField("command", "study");
            j.writeStringField("backend", r.backend());
            StudyConfig c = r.config();
            j.writeObjectFieldStart("config");
            j.writeArrayFieldStart("populations");
            for (String p : c.populations()) {
                j.writeString(p);
            }
            j.writeEndArray();
            j.writeArrayFieldStart("sizes");
            for (int s : c.sizes()) {
                j.writeNumber(s);
            }
            j.writeEndArray();
            j.writeArrayFieldStart("iterations");
            for (int s : c.iterations()) {
                j.writeNumber(s);
            }
            j.writeEndArray();
            j.writeNumberField("seed", c.seed());
            j.writeNumberField("delta", c.delta());
            j.writeNumberField("burnIn", c.burnIn());
            j.writeNumberField("snganWidthDivisor", c.snganWidthDivisor());
            j.writeEndObject();
            j.writeArrayFieldStart("samples");
            for (Sample s : r.samples()) {
                j.writeStartObject();
                j.writeStringField("population", s.population());
                j.writeStringField("group", s.group());
                j.writeStringField("subject", s.subject());
                j.writeNumberField("matrix", s.matrix());
                j.writeNumberField("rows", s.rows());
                j.writeNumberField("cols", s.cols());
                number(j, "gap", s.gap());
                j.writeStringField("mode", s.mode());
                j.writeNumberField("k", s.k());
                j.writeNumberField("j", s.j());
                j.writeNumberField("estimate", s.estimate());
                j.writeNumberField("exact", s.exact());
                number(j, "relativeError", s.relativeError());
                j.writeBooleanField("withinBound", s.withinBound());
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeArrayFieldStart("summary");
            for (Summary.Stat s : stats) {
                j.writeStartObject();
                j.writeStringField("group", s.group());
                j.writeStringField("mode", s.mode());
                j.writeNumberField("k", s.k());
                j.writeNumberField("j", s.j());
                j.writeNumberField("count", s.count());
                number(j, "gap", s.gap());
                number(j, "median", s.median());
                number(j, "p90", s.p90());
                number(j, "max", s.max());
                j.writeNumberField("boundViolations", s.violations());
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeArrayFieldStart("convergence");
            for (Summary.Law l : laws) {
                j.writeStartObject();
                j.writeStringField("group", l.group());
                j.writeStringField("mode", l.mode());
                number(j, "gap", l.gap());
                number(j, "fittedLog10PerIteration", l.fittedLog10());
                number(j, "tailLog10PerIteration", l.tailLog10());
                number(j, "predictedLog10PerIteration", l.predictedLog10());
                j.writeNumberField("kForMaxError1e3", l.kFor1e3());
                j.writeNumberField("kForMaxError1e5", l.kFor1e5());
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeArrayFieldStart("conv");
            for (StudyResult.ConvResult cr : r.conv()) {
                var l = cr.norms();
                j.writeStartObject();
                j.writeStringField("layer", cr.name());
                j.writeArrayFieldStart("weightShape");
                j.writeNumber(l.out());
                j.writeNumber(l.in());
                j.writeNumber(l.kh());
                j.writeNumber(l.kw());
                j.writeEndArray();
                j.writeNumberField("stride", l.stride());
                j.writeNumberField("padding", l.padding());
                j.writeNumberField("inputSize", l.inputSize());
                number(j, "operatorNorm", l.operatorNorm());
                j.writeNumberField("operatorIterations", l.iterations());
                j.writeBooleanField("operatorConverged", l.converged());
                number(j, "circularNorm", l.circularNorm());
                number(j, "reshapedSigma", l.reshapedSigma());
                number(j, "operatorOverReshaped", l.operatorRatio());
                number(j, "circularOverReshaped", l.circularRatio());
                number(j, "upperBoundFactor", l.upperFactor());
                j.writeBooleanField("lowerBoundApplies", l.lowerBoundApplies());
                j.writeBooleanField("upperBoundHolds", l.upperBoundHolds(StudyRunner.BOUND_SLACK));
                j.writeBooleanField("lowerBoundHolds", l.lowerBoundHolds(StudyRunner.BOUND_SLACK));
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeArrayFieldStart("timings");
            for (Timing t : r.timings()) {
                j.writeStartObject();
                j.writeStringField("population", t.population());
                j.writeStringField("group", t.group());
                j.writeStringField("subject", t.subject());
                j.writeNumberField("rows", t.rows());
                j.writeNumberField("cols", t.cols());
                j.writeNumberField("matrices", t.matrices());
                j.writeStringField("backend", t.backend());
                j.writeStringField("method", t.method());
                number(j, "msPerMatrix", t.msPerMatrix());
                j.writeEndObject();
            }
            j.writeEndArray();
            j.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static void number(JsonGenerator j, String name, double x) throws IOException {
        if (Double.isFinite(x)) {
            j.writeNumberField(name, x);
        } else {
            j.writeNullField(name);
        }
    }

    static String fmt(double x) {
        if (Double.isNaN(x)) {
            return "–";
        }
        if (x == 0) {
            return "0";
        }
        double a = Math.abs(x);
        return a >= 1e-3 && a < 1e4 ? String.format(Locale.ROOT, "%.4g", x) : String.format(Locale.ROOT, "%.3e", x);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String html(
            StudyResult r, List<Summary.Stat> stats, List<Summary.Law> laws, Map<String, byte[]> files) {
        StringBuilder h = new StringBuilder();
        StudyConfig c = r.config();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>specnorm study</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;"
                        + "margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
                        + "th{background:#f0f0f0}td:first-child,td:nth-child(2){text-align:left}"
                        + "img{max-width:100%;border:1px solid #ddd;margin:0.5em 0}</style></head><body>\n")
                .append("<h1>specnorm study</h1>\n<p>Backend <b>")
                .append(esc(r.backend()))
                .append("</b>; populations ")
                .append(esc(String.join(", ", c.populations())))
                .append("; iterations ")
                .append(c.iterations())
                .append("; seed ")
                .append(c.seed())
                .append("; drift δ = ")
                .append(c.delta())
                .append(" (")
                .append(c.burnIn())
                .append(" burn-in steps, one iteration each); SN-GAN channels / ")
                .append(c.snganWidthDivisor())
                .append(". ")
                .append(r.samples().size())
                .append(" samples, ")
                .append(r.samples().stream().filter(s -> !s.withinBound()).count())
                .append(" of them above σ(1 + 1e-6). Data: <a href=\"samples.csv\">samples.csv</a>, "
                        + "<a href=\"timings.csv\">timings.csv</a>, ")
                .append(files.containsKey("conv.csv") ? "<a href=\"conv.csv\">conv.csv</a>, " : "")
                .append("<a href=\"study.json\">study.json</a>.</p>\n<h2>Charts</h2>\n");
        for (String chart : CHARTS) {
            if (files.containsKey(chart)) {
                h.append("<p><img src=\"")
                        .append(chart)
                        .append("\" alt=\"")
                        .append(chart)
                        .append("\"></p>\n");
            } else {
                h.append("<p>(").append(chart).append(": no data in this study)</p>\n");
            }
        }
        h.append(
                "<h2>Convergence (σ̂₁)</h2>\n<p>Slope of log10(median relative error) per iteration: least-squares over the "
                        + "iterations above 1e-6, and between the last two of them (the asymptotic rate), against SPEC.md's ρ^(4k) law (4·log10 ρ); and the first measured k whose "
                        + "largest error is at most 1e-3 and 1e-5.</p>\n<table><tr><th>group</th><th>mode</th><th>σ₂/σ₁</th>"
                        + "<th>fitted</th><th>last two</th><th>4·log10 ρ</th><th>k: max ≤ 1e-3</th><th>k: max ≤ 1e-5</th></tr>\n");
        for (Summary.Law l : laws) {
            h.append("<tr><td>")
                    .append(esc(l.group()))
                    .append("</td><td>")
                    .append(l.mode())
                    .append("</td><td>")
                    .append(fmt(l.gap()))
                    .append("</td><td>")
                    .append(fmt(l.fittedLog10()))
                    .append("</td><td>")
                    .append(fmt(l.tailLog10()))
                    .append("</td><td>")
                    .append(fmt(l.predictedLog10()))
                    .append("</td><td>")
                    .append(l.kFor1e3() < 0 ? "&gt; max" : l.kFor1e3())
                    .append("</td><td>")
                    .append(l.kFor1e5() < 0 ? "&gt; max" : l.kFor1e5())
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (!r.conv().isEmpty()) {
            h.append(
                    "<h2>Convolution layers</h2>\n<table><tr><th>layer</th><th>weight</th><th>stride</th><th>input</th>"
                            + "<th>‖conv‖₂ (zero pad)</th><th>iterations</th><th>circular (Sedghi)</th><th>σ(W_FILTERS)</th>"
                            + "<th>‖conv‖₂/σ</th><th>circular/σ</th><th>bound √(⌈k/s⌉²)</th><th>bounds hold</th></tr>\n");
            for (StudyResult.ConvResult cr : r.conv()) {
                var l = cr.norms();
                h.append("<tr><td>")
                        .append(cr.name())
                        .append("</td><td>")
                        .append(l.out())
                        .append("×")
                        .append(l.in())
                        .append("×")
                        .append(l.kh())
                        .append("×")
                        .append(l.kw())
                        .append("</td><td>")
                        .append(l.stride())
                        .append("</td><td>")
                        .append(l.inputSize())
                        .append("</td><td>")
                        .append(fmt(l.operatorNorm()))
                        .append("</td><td>")
                        .append(l.iterations())
                        .append(l.converged() ? "" : " (cap)")
                        .append("</td><td>")
                        .append(fmt(l.circularNorm()))
                        .append("</td><td>")
                        .append(fmt(l.reshapedSigma()))
                        .append("</td><td>")
                        .append(fmt(l.operatorRatio()))
                        .append("</td><td>")
                        .append(fmt(l.circularRatio()))
                        .append("</td><td>")
                        .append(fmt(l.upperFactor()))
                        .append("</td><td>")
                        .append(
                                l.upperBoundHolds(StudyRunner.BOUND_SLACK) && l.lowerBoundHolds(StudyRunner.BOUND_SLACK)
                                        ? "yes"
                                        : "NO")
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Relative error distribution</h2>\n<table><tr><th>group</th><th>mode</th><th>k</th><th>j</th>"
                + "<th>samples</th><th>σ₂/σ₁</th><th>median</th><th>p90</th><th>max</th><th>σ̂ &gt; σ</th></tr>\n");
        for (Summary.Stat s : stats) {
            h.append("<tr><td>")
                    .append(esc(s.group()))
                    .append("</td><td>")
                    .append(s.mode())
                    .append("</td><td>")
                    .append(s.k())
                    .append("</td><td>")
                    .append(s.j())
                    .append("</td><td>")
                    .append(s.count())
                    .append("</td><td>")
                    .append(fmt(s.gap()))
                    .append("</td><td>")
                    .append(fmt(s.median()))
                    .append("</td><td>")
                    .append(fmt(s.p90()))
                    .append("</td><td>")
                    .append(fmt(s.max()))
                    .append("</td><td>")
                    .append(s.violations())
                    .append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Timings</h2>\n<table><tr><th>group</th><th>subject</th><th>matrices</th>"
                + "<th>backend</th><th>method</th><th>ms per matrix</th></tr>\n");
        for (Timing t : r.timings()) {
            h.append("<tr><td>")
                    .append(esc(t.group()))
                    .append("</td><td>")
                    .append(esc(t.subject()))
                    .append("</td><td>")
                    .append(t.matrices())
                    .append("</td><td>")
                    .append(esc(t.backend()))
                    .append("</td><td>")
                    .append(t.method().equals("exact-svd") ? "exact SVD" : "power iteration, per iteration")
                    .append("</td><td>")
                    .append(fmt(t.msPerMatrix()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }
}
