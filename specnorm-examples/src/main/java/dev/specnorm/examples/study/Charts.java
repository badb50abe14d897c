package dev.specnorm.examples.study;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The study's PNG charts, drawn headless with XChart. Relative errors at or below {@link #PLOT_FLOOR} are
 * drawn at it (a log axis has no 0).
 */
public final class Charts {

    /** The lowest relative error drawn. */
    public static final double PLOT_FLOOR = 1e-9;

    static final int WIDTH = 1100;
    static final int HEIGHT = 560;

    private static final Color[] PALETTE = {
        new Color(31, 119, 180),
        new Color(255, 127, 14),
        new Color(44, 160, 44),
        new Color(214, 39, 40),
        new Color(148, 103, 189),
        new Color(140, 86, 75),
        new Color(227, 119, 194),
        new Color(127, 127, 127),
        new Color(188, 189, 34),
        new Color(23, 190, 207)
    };

    private Charts() {}

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * Median relative error of σ̂₁ versus iterations, log y, one line per gap group (every group when there
     * are none), with ρ^(4k) guides (dashed) through each gap group's last point above the float32 floor.
     *
     * @return the PNG, or null without samples of {@code mode}
     */
    public static byte[] errorVersusIterations(List<Summary.Stat> stats, String mode, String title) throws IOException {
        Map<String, List<Summary.Stat>> groups = new LinkedHashMap<>();
        boolean anyGap = stats.stream().anyMatch(s -> s.mode().equals(mode) && isGapGroup(s.group()));
        for (Summary.Stat s : stats) {
            if (s.mode().equals(mode) && s.j() == 1 && (!anyGap || isGapGroup(s.group()))) {
                groups.computeIfAbsent(s.group(), g -> new ArrayList<>()).add(s);
            }
        }
        if (groups.isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle("iterations k")
                .yAxisTitle("median relative error |σ̂ − σ|/σ")
                .build();
        style(chart);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(PLOT_FLOOR);
        chart.getStyler().setYAxisMax(1.0);
        int c = 0;
        for (Map.Entry<String, List<Summary.Stat>> e : groups.entrySet()) {
            List<Summary.Stat> g = e.getValue();
            double[] x = g.stream().mapToDouble(Summary.Stat::k).toArray();
            double[] y = g.stream().mapToDouble(s -> floor(s.median())).toArray();
            Color color = PALETTE[c++ % PALETTE.length];
            XYSeries series = chart.addSeries(e.getKey() + " (measured)", x, y);
            series.setLineColor(color);
            series.setMarkerColor(color);
            series.setMarker(SeriesMarkers.CIRCLE);
            double rho = g.get(0).gap();
            int anchor = -1; // the last k above the float32 floor: the guide passes through it
            for (int i = 0; i < g.size(); i++) {
                if (g.get(i).median() > Summary.FLOOR) {
                    anchor = i;
                }
            }
            if (mode.equals("cold") && isGapGroup(e.getKey()) && rho < 0.9999 && anchor >= 0) {
                double[] law = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    law[i] = floor(g.get(anchor).median() * Math.pow(rho, 4 * (x[i] - x[anchor])));
                }
                XYSeries guide = chart.addSeries(e.getKey() + ": ρ^(4k) law", x, law);
                guide.setLineColor(color);
                guide.setMarker(SeriesMarkers.NONE);
                guide.setLineStyle(new BasicStroke(
                        1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
            }
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Milliseconds per matrix versus the larger side, log–log: exact SVD and one power iteration, per shape
     * kind and backend (the Gaussian population; every subject without it).
     *
     * @return the PNG, or null without timings
     */
    public static byte[] timeVersusSize(List<Timing> timings) throws IOException {
        boolean gaussian = timings.stream().anyMatch(t -> t.population().equals("gaussian"));
        Map<String, TreeMap<Integer, List<Double>>> series = new LinkedHashMap<>();
        for (Timing t : timings) {
            if (gaussian && !t.population().equals("gaussian")) {
                continue;
            }
            String method = t.method().equals("exact-svd") ? "exact SVD" : "power iteration (1 iteration)";
            String name = method + ", " + t.group().replace("gaussian ", "") + " (" + t.backend() + ")";
            series.computeIfAbsent(name, n -> new TreeMap<>())
                    .computeIfAbsent(Math.max(t.rows(), t.cols()), n -> new ArrayList<>())
                    .add(t.msPerMatrix());
        }
        if (series.isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title("Time per matrix versus size")
                .xAxisTitle("larger side max(m, n)")
                .yAxisTitle("milliseconds per matrix")
                .build();
        style(chart);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        int c = 0;
        for (Map.Entry<String, TreeMap<Integer, List<Double>>> e : series.entrySet()) {
            double[] x = e.getValue().keySet().stream()
                    .mapToDouble(Integer::doubleValue)
                    .toArray();
            double[] y = e.getValue().values().stream()
                    .mapToDouble(v -> Math.max(
                            1e-6,
                            v.stream()
                                    .mapToDouble(Double::doubleValue)
                                    .average()
                                    .orElse(0)))
                    .toArray();
            Color color = PALETTE[c++ % PALETTE.length];
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setMarker(e.getKey().startsWith("exact") ? SeriesMarkers.SQUARE : SeriesMarkers.CIRCLE);
            if (!e.getKey().startsWith("exact")) {
                s.setLineStyle(new BasicStroke(
                        2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            }
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Per conv layer: ‖conv‖₂ (zero padding, real stride and input) / σ(W_FILTERS), Sedghi's circular
     * stride-1 norm / σ(W_FILTERS), and the upper bound sqrt(ceil(kh/s)·ceil(kw/s)).
     *
     * @return the PNG, or null without conv layers
     */
    public static byte[] convRatios(List<StudyResult.ConvResult> conv) throws IOException {
        if (conv.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        List<Double> op = new ArrayList<>();
        List<Double> circ = new ArrayList<>();
        List<Double> bound = new ArrayList<>();
        for (StudyResult.ConvResult r : conv) {
            names.add(r.name() + " " + r.norms().kh() + "x" + r.norms().kw() + "/s"
                    + r.norms().stride() + "/" + r.norms().inputSize());
            op.add(r.norms().operatorRatio());
            circ.add(r.norms().circularRatio());
            bound.add(r.norms().upperFactor());
        }
        CategoryChart chart = new CategoryChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title("Convolution operator norm / reshaped-kernel σ, per layer")
                .xAxisTitle("layer  kernel/stride/input side")
                .yAxisTitle("ratio to σ(W_FILTERS)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setSeriesColors(new Color[] {PALETTE[0], PALETTE[1], PALETTE[7]});
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.addSeries("‖conv‖₂ (zero padding 1, real stride) / σ", names, op);
        chart.addSeries("circular stride-1 norm (Sedghi) / σ", names, circ);
        chart.addSeries("upper bound sqrt(ceil(kh/s)·ceil(kw/s))", names, bound);
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    static boolean isGapGroup(String group) {
        return group.startsWith("gap ") || group.equals("repeated top");
    }

    private static double floor(double x) {
        return Double.isFinite(x) ? Math.max(PLOT_FLOOR, x) : 1.0;
    }

    private static void style(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(6);
    }
}
