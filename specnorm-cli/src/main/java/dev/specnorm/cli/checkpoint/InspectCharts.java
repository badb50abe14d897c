package dev.specnorm.cli.checkpoint;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG charts of {@code specnorm inspect}, drawn headless with XChart (as the study's charts are): σ₁
 * per layer, the singular-value spectrum (histogram of σᵢ/σ₁) of the largest layers, and, for a directory of
 * checkpoints, σ₁ of each layer over the checkpoints.
 */
public final class InspectCharts {

    /** Histogram bins over σᵢ/σ₁ ∈ [0, 1]. */
    static final int BINS = 40;
    /** At most this many layers get a line in the over-checkpoints chart (those of largest σ₁). */
    static final int MAX_SERIES = 16;

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 560;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private InspectCharts() {}

    /** σ₁ (and σ̂ after K steps) per layer, in file order; null without layers. */
    public static byte[] sigmaPerLayer(CheckpointReport r) throws IOException {
        if (r.layers().isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        List<Double> sigma = new ArrayList<>();
        List<Double> power = new ArrayList<>();
        for (LayerReport l : r.layers()) {
            names.add(l.name());
            sigma.add(l.sigma());
            power.add(l.powerSigma());
        }
        CategoryChart chart = new CategoryChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title("σ₁ per layer: " + r.file().getFileName())
                .xAxisTitle("layer")
                .yAxisTitle("σ₁")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setXAxisTicksVisible(names.size() <= 60);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisMin(0.0);
        chart.addSeries("σ₁ (" + r.options().method() + ")", names, sigma);
        chart.addSeries("σ̂ after " + r.options().iterations() + " power steps", names, power);
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** Histogram of σᵢ/σ₁ of each layer in {@code spectra}; null without spectra. */
    public static byte[] spectrumHistogram(CheckpointReport r) throws IOException {
        if (r.spectra().isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title("Singular-value spectrum of the largest layers: "
                        + r.file().getFileName())
                .xAxisTitle("σᵢ / σ₁")
                .yAxisTitle("fraction of singular values")
                .build();
        style(chart);
        double[] x = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            x[b] = (b + 0.5) / BINS;
        }
        for (Map.Entry<String, float[]> e : r.spectra().entrySet()) {
            float[] s = e.getValue();
            double top = s.length == 0 ? 0 : s[0];
            double[] y = new double[BINS];
            for (float v : s) {
                int b = top > 0 ? (int) Math.min(BINS - 1, Math.floor(v / top * BINS)) : 0;
                y[b] += 1.0 / s.length;
            }
            XYSeries series = chart.addSeries(
                    e.getKey() + " (" + s.length + " values, σ₁ = " + String.format("%.4g", top) + ")", x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * σ₁ of each layer over the checkpoints (in the order given), one line per layer name; at most
     * {@value #MAX_SERIES} lines, those of largest σ₁ in the last checkpoint. Null with fewer than 1 report.
     */
    public static byte[] sigmaOverCheckpoints(List<CheckpointReport> reports) throws IOException {
        if (reports.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (LayerReport l : reports.get(reports.size() - 1).layers()) {
            names.add(l.name());
        }
        Map<String, Double> last = new HashMap<>();
        reports.get(reports.size() - 1).layers().forEach(l -> last.put(l.name(), l.sigma()));
        names.sort(Comparator.comparingDouble((String n) -> last.get(n)).reversed());
        List<String> shown = names.subList(0, Math.min(MAX_SERIES, names.size()));
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title("σ₁ per layer over " + reports.size() + " checkpoints"
                        + (names.size() > shown.size()
                                ? " (the " + shown.size() + " layers of largest σ₁ of " + names.size() + ")"
                                : ""))
                .xAxisTitle("checkpoint (sorted by name)")
                .yAxisTitle("σ₁")
                .build();
        style(chart);
        for (String name : shown) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int k = 0; k < reports.size(); k++) {
                for (LayerReport l : reports.get(k).layers()) {
                    if (l.name().equals(name)) {
                        xs.add(k + 1.0);
                        ys.add(l.sigma());
                    }
                }
            }
            XYSeries series = chart.addSeries(name, xs, ys);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    private static void style(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(6);
    }
}
