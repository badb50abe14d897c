package dev.specnorm.examples.gan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The GAN example's text outputs: one CSV row per measurement, the comparison table (text and CSV) of
 * {@link GanSummary} rows, and an {@code index.html} that shows the table and the charts. Files are
 * written to a temporary file beside the target and renamed over it, so none is ever half-written.
 */
public final class GanReport {

    /** The CSV header of {@link #metricsCsv}. */
    public static final String METRICS_HEADER =
            "step,d_loss,g_loss,penalty,modes_covered,high_quality,kl_uniform,energy_distance,lipschitz_bound,max_grad_norm,layer_sigmas";

    private GanReport() {}

    /** One row per measurement: the losses, the quality metrics, K·∏σ, max ‖∇ₓD‖ and the per-layer σ (';'). */
    public static String metricsCsv(List<GanTrainer.Metrics> metrics) {
        StringBuilder b = new StringBuilder(METRICS_HEADER).append('\n');
        for (GanTrainer.Metrics m : metrics) {
            StringBuilder sigmas = new StringBuilder();
            for (float s : m.layerNorms()) {
                sigmas.append(sigmas.length() == 0 ? "" : ";").append(String.format(Locale.ROOT, "%.8g", s));
            }
            b.append(String.format(
                    Locale.ROOT,
                    "%d,%.6g,%.6g,%.6g,%d,%.6g,%.6g,%.6g,%.8g,%.6g,%s%n",
                    m.step(),
                    m.discriminatorLoss(),
                    m.generatorLoss(),
                    m.penalty(),
                    m.modesCovered(),
                    m.highQuality(),
                    m.klUniform(),
                    m.energyDistance(),
                    m.lipschitzBound(),
                    m.maxGradientNorm(),
                    sigmas));
        }
        return b.toString();
    }

    /** The comparison table as aligned text, one line per constraint. */
    public static String table(List<GanSummary> rows) {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "%-7s %-9s %5s  %-16s %-18s %-18s %-20s %-18s %-18s %s%n",
                "constr",
                "strength",
                "seeds",
                "modes covered",
                "high quality",
                "KL to uniform",
                "energy distance",
                "K prod sigma(D)",
                "max |grad D|",
                "s/run"));
        for (GanSummary r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "%-7s %-9s %5d  %-16s %-18s %-18s %-20s %-18s %-18s %.1f%n",
                    r.constraint(),
                    r.strength() == 0 ? "-" : String.format(Locale.ROOT, "%.3g", r.strength()),
                    r.seeds(),
                    r.modes(),
                    r.highQuality(),
                    r.klUniform(),
                    r.energyDistance(),
                    r.lipschitzBound(),
                    r.maxGradientNorm(),
                    r.seconds().mean()));
        }
        return b.toString();
    }

    /** The comparison table as CSV (mean and sd columns). */
    public static String summaryCsv(List<GanSummary> rows) {
        StringBuilder b = new StringBuilder("constraint,strength,seeds,modes_mean,modes_sd,high_quality_mean,"
                + "high_quality_sd,kl_uniform_mean,kl_uniform_sd,energy_distance_mean,energy_distance_sd,lipschitz_bound_mean,lipschitz_bound_sd,max_grad_norm_mean,max_grad_norm_sd,"
                + "seconds_per_run\n");
        for (GanSummary r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "%s,%.6g,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.8g,%.6g,%.6g,%.6g,%.3f%n",
                    r.constraint(),
                    r.strength(),
                    r.seeds(),
                    r.modes().mean(),
                    r.modes().sd(),
                    r.highQuality().mean(),
                    r.highQuality().sd(),
                    r.klUniform().mean(),
                    r.klUniform().sd(),
                    r.energyDistance().mean(),
                    r.energyDistance().sd(),
                    r.lipschitzBound().mean(),
                    r.lipschitzBound().sd(),
                    r.maxGradientNorm().mean(),
                    r.maxGradientNorm().sd(),
                    r.seconds().mean()));
        }
        return b.toString();
    }

    /** {@code index.html}: what was run, the table, and the given PNG files (names relative to the page). */
    public static String html(String command, String backend, List<GanSummary> rows, List<String> images) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>specnorm gan</title>\n<style>body{font-family:sans-serif;margin:2em}"
                + "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}"
                + "td:first-child{text-align:left}img{max-width:100%;margin:1em 0;border:1px solid #ddd}</style>"
                + "</head><body>\n<h1>A GAN on a Gaussian mixture, discriminator constrained through specnorm</h1>\n");
        h.append("<p><code>")
                .append(escape(command))
                .append("</code> on the ")
                .append(escape(backend))
                .append(
                        " backend. Final measurement of each run; mean ± sample standard deviation over seeds. "
                                + "Modes covered: modes holding at least 1% of 2,500 samples within 3 std; high quality: the "
                                + "share of samples within 3 std of a mode (Metz et al. 2017; Lin et al. 2018); KL: the nearest-mode "
                                + "histogram's KL divergence to uniform; energy distance: between the 2,500 generated and "
                                + "2,500 real samples. "
                                + "K prod sigma: K times the product of the exact spectral norms of the matrices D's forward pass "
                                + "uses, an upper bound of D's Lipschitz constant; max |grad D|: the largest gradient norm "
                                + "of D over a batch of real data, a lower bound of it.</p>\n<table>\n<tr><th>constraint</th>"
                                + "<th>strength</th><th>seeds</th><th>modes covered</th><th>high quality</th>"
                                + "<th>KL to uniform</th><th>energy distance</th><th>K prod sigma(D)</th><th>max |grad D|</th><th>s/run</th></tr>\n");
        for (GanSummary r : rows) {
            h.append("<tr><td>")
                    .append(r.constraint())
                    .append("</td><td>")
                    .append(r.strength() == 0 ? "-" : String.format(Locale.ROOT, "%.3g", r.strength()))
                    .append("</td><td>")
                    .append(r.seeds())
                    .append("</td><td>")
                    .append(r.modes())
                    .append("</td><td>")
                    .append(r.highQuality())
                    .append("</td><td>")
                    .append(r.klUniform())
                    .append("</td><td>")
                    .append(r.energyDistance())
                    .append("</td><td>")
                    .append(r.lipschitzBound())
                    .append("</td><td>")
                    .append(r.maxGradientNorm())
                    .append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", r.seconds().mean()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (String image : images) {
            h.append("<h3>")
                    .append(escape(image))
                    .append("</h3><img src=\"")
                    .append(escape(image))
                    .append("\" alt=\"")
                    .append(escape(image))
                    .append("\">\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void write(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code target} atomically: a temporary file beside it, then a rename. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
        try {
            Files.write(temporary, bytes);
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
