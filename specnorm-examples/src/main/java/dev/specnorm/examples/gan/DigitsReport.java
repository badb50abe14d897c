package dev.specnorm.examples.gan;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The digits GAN's text outputs: a run's metrics CSV, the table of each run's final measurement (precision,
 * recall, digits covered, KL to uniform, σ(Ŵ) range, mean step time split into convolutions, SN and the rest)
 * and the HTML page that shows it with the PNG charts.
 */
public final class DigitsReport {

    /** Header of {@link #metricsCsv}. */
    public static final String METRICS_HEADER = "step,d_loss,g_loss,precision,recall,digits_covered,kl_uniform,"
            + "min_sigma,max_sigma,conv_ms,sn_ms,other_ms";

    private DigitsReport() {}

    /** One row per measurement. */
    public static String metricsCsv(List<DigitsGanTrainer.Metrics> metrics) {
        StringBuilder b = new StringBuilder(METRICS_HEADER).append('\n');
        for (DigitsGanTrainer.Metrics m : metrics) {
            ImageQuality q = m.quality();
            b.append(String.format(
                    Locale.ROOT,
                    "%d,%.6g,%.6g,%.6g,%.6g,%d,%.6g,%.8g,%.8g,%.4f,%.4f,%.4f%n",
                    m.step(),
                    m.discriminatorLoss(),
                    m.generatorLoss(),
                    q.precision(),
                    q.recall(),
                    q.classesCovered(),
                    q.klUniform(),
                    m.minSigma(),
                    m.maxSigma(),
                    m.convMs(),
                    m.snMs(),
                    m.otherMs()));
        }
        return b.toString();
    }

    /**
     * The final measurement of each run (keyed by constraint) and its mean step time over the whole run (the
     * measurements' step-weighted average).
     */
    public static String table(Map<String, List<DigitsGanTrainer.Metrics>> runs) {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "%-6s %9s %9s %8s %9s %23s %26s%n",
                "constr",
                "precision",
                "recall",
                "digits",
                "KL unif",
                "sigma(W_used) min..max",
                "ms/step conv + SN + other"));
        for (Map.Entry<String, List<DigitsGanTrainer.Metrics>> e : runs.entrySet()) {
            List<DigitsGanTrainer.Metrics> ms = e.getValue();
            DigitsGanTrainer.Metrics last = ms.get(ms.size() - 1);
            double[] t = meanStep(ms);
            b.append(String.format(
                    Locale.ROOT,
                    "%-6s %9.4f %9.4f %5d/10 %9.4f %11.7f..%-11.7f %7.1f + %5.2f + %6.2f%n",
                    e.getKey(),
                    last.quality().precision(),
                    last.quality().recall(),
                    last.quality().classesCovered(),
                    last.quality().klUniform(),
                    last.minSigma(),
                    last.maxSigma(),
                    t[0],
                    t[1],
                    t[2]));
        }
        return b.toString();
    }

    /** {conv, SN, other} ms per step over the run: each measurement's means weighted by its steps. */
    static double[] meanStep(List<DigitsGanTrainer.Metrics> ms) {
        double[] sum = new double[3];
        int previous = 0;
        for (DigitsGanTrainer.Metrics m : ms) {
            int n = m.step() - previous;
            sum[0] += n * m.convMs();
            sum[1] += n * m.snMs();
            sum[2] += n * m.otherMs();
            previous = m.step();
        }
        for (int i = 0; i < 3; i++) {
            sum[i] /= Math.max(1, previous);
        }
        return sum;
    }

    /** {@code index.html}: the command, the table and the PNG files (names relative to the page). */
    public static String html(String command, String backend, String table, List<String> images) {
        StringBuilder h = new StringBuilder(
                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                        + "<title>specnorm gan digits</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "img{max-width:100%;margin:1em 0;border:1px solid #ddd}</style></head><body>\n"
                        + "<h1>A GAN on scikit-learn's 8×8 digits, discriminator spectrally normalized through specnorm</h1>\n");
        h.append("<p><code>")
                .append(escape(command))
                .append("</code> on the ")
                .append(escape(backend))
                .append(" backend. Precision and recall: k-nearest-neighbour manifolds (k = ")
                .append(ImageQuality.K)
                .append(") of ")
                .append(DigitsGanTrainer.EVAL_IMAGES)
                .append(" generated and all real images in pixel "
                        + "space (Kynkäänniemi et al. 2019); digits covered: digits given to at least ")
                .append(ImageQuality.COVERED_SHARE_PERCENT)
                .append("% of the generated images by their nearest real "
                        + "image; KL: that histogram's KL divergence to uniform; sigma(W_used): the exact spectral norms "
                        + "of the matrices D's forward pass uses.</p>\n<pre>")
                .append(escape(table))
                .append("</pre>\n");
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

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
