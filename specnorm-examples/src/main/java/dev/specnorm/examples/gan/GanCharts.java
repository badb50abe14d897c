package dev.specnorm.examples.gan;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The GAN example's PNG charts, drawn headless with XChart and tiled into one image each: real versus
 * generated samples at several steps; the metric curves of one run (losses, modes covered, high-quality
 * share, and the Lipschitz bound ∏σ(Mₗ) beside the largest measured ‖∇ₓD‖, log scale); and, for
 * {@code --constraint all}, each final metric per constraint as mean ± standard deviation over the seeds.
 */
public final class GanCharts {

    static final int PANEL = 420;
    /** The smallest value drawn on a logarithmic axis. */
    private static final double LOG_FLOOR = 1e-6;

    private static final Color REAL = new Color(150, 150, 150);
    private static final Color GENERATED = new Color(31, 119, 180);
    private static final Color[] PALETTE = {
        new Color(31, 119, 180),
        new Color(255, 127, 14),
        new Color(44, 160, 44),
        new Color(214, 39, 40),
        new Color(148, 103, 189),
        new Color(140, 86, 75)
    };

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private GanCharts() {}

    /**
     * One scatter panel per measurement in {@code snapshots}: {@code real} samples (grey) and the generated
     * samples of that step (blue), both rows of (x, y), on the square [−r, r]², r the largest |coordinate| of
     * the real samples plus 1.
     */
    public static byte[] samples(String title, double[] real, List<GanTrainer.Metrics> snapshots) throws IOException {
        List<BufferedImage> panels = new ArrayList<>();
        double r0 = 0;
        for (double v : real) {
            r0 = Math.max(r0, Math.abs(v));
        }
        double range = Math.ceil(r0) + 1;
        for (GanTrainer.Metrics m : snapshots) {
            XYChart chart = new XYChartBuilder()
                    .width(PANEL)
                    .height(PANEL)
                    .title(title + ", step " + m.step() + ": " + m.modesCovered() + "/" + m.modeCount() + " modes, hq "
                            + String.format(Locale.ROOT, "%.2f", m.highQuality()))
                    .xAxisTitle("x")
                    .yAxisTitle("y")
                    .build();
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            plain(chart);
            chart.getStyler().setMarkerSize(3);
            chart.getStyler()
                    .setXAxisMin(-range)
                    .setXAxisMax(range)
                    .setYAxisMin(-range)
                    .setYAxisMax(range);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            chart.getStyler()
                    .setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(12f));
            XYSeries r = chart.addSeries("real", xs(real), ys(real));
            r.setMarkerColor(REAL);
            r.setMarker(SeriesMarkers.CIRCLE);
            XYSeries g = chart.addSeries("generated", xs(m.samples()), ys(m.samples()));
            g.setMarkerColor(GENERATED);
            g.setMarker(SeriesMarkers.CIRCLE);
            panels.add(BitmapEncoder.getBufferedImage(chart));
        }
        return tile(panels, panels.size());
    }

    /**
     * Six panels over the steps of one run: losses, modes covered, high-quality share, ∏σ and max ‖∇ₓD‖, the
     * mode histogram's KL to uniform, the energy distance to real data.
     */
    public static byte[] curves(String title, List<GanTrainer.Metrics> metrics) throws IOException {
        List<GanTrainer.Metrics> trained =
                metrics.stream().filter(m -> m.step() > 0).toList();
        List<BufferedImage> panels = new ArrayList<>();
        XYChart losses = xy(title + ": losses (mean since last point)", "loss");
        line(losses, "L_D", trained, GanTrainer.Metrics::discriminatorLoss, 0);
        line(losses, "L_G", trained, GanTrainer.Metrics::generatorLoss, 1);
        if (trained.stream().anyMatch(m -> m.penalty() > 0)) {
            line(losses, "penalty", trained, GanTrainer.Metrics::penalty, 2);
        }
        panels.add(image(losses));
        int modeCount = metrics.get(0).modeCount();
        XYChart modes = xy(title + ": modes covered (of " + modeCount + ")", "modes");
        line(modes, "modes covered", metrics, GanTrainer.Metrics::modesCovered, 0);
        modes.getStyler().setYAxisMin(0.0).setYAxisMax((double) modeCount);
        panels.add(image(modes));
        XYChart hq = xy(title + ": high-quality share", "share within 3 std of a mode");
        line(hq, "high quality", metrics, GanTrainer.Metrics::highQuality, 2);
        hq.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        panels.add(image(hq));
        XYChart lip = xy(title + ": Lipschitz bound and measured gradient", "log scale");
        lip.getStyler().setYAxisLogarithmic(true);
        line(lip, "prod sigma(M_l) (exact)", metrics, m -> Math.max(LOG_FLOOR, m.lipschitzBound()), 3);
        line(lip, "max |grad_x D| over real data", metrics, m -> Math.max(LOG_FLOOR, m.maxGradientNorm()), 4);
        panels.add(image(lip));
        XYChart kl = xy(title + ": KL(mode histogram || uniform)", "nats");
        line(kl, "KL to uniform", metrics, GanTrainer.Metrics::klUniform, 5);
        kl.getStyler().setYAxisMin(0.0);
        panels.add(image(kl));
        XYChart energy = xy(title + ": energy distance to real data (log)", "energy distance");
        energy.getStyler().setYAxisLogarithmic(true);
        line(energy, "energy distance", metrics, m -> Math.max(LOG_FLOOR, m.energyDistance()), 0);
        panels.add(image(energy));
        return tile(panels, 2);
    }

    /**
     * For {@code --constraint all}: six bar charts (modes covered of {@code modeCount}, high-quality share, KL to
     * uniform, energy distance, ∏σ, max ‖∇ₓD‖) of the
     * final measurement, one bar (on the logarithmic axes, one point) per constraint, mean with a ± one standard
     * deviation error bar.
     */
    public static byte[] comparison(List<GanSummary> rows, int modeCount) throws IOException {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(image(bars("modes covered (of " + modeCount + ")", rows, GanSummary::modes, modeCount)));
        panels.add(image(bars("high-quality share", rows, GanSummary::highQuality, 1)));
        panels.add(image(bars("KL(mode histogram || uniform)", rows, GanSummary::klUniform, Math.log(modeCount))));
        panels.add(image(bars("energy distance to real data (log)", rows, GanSummary::energyDistance, 0)));
        panels.add(image(bars("prod sigma(M_l) of D (log)", rows, GanSummary::lipschitzBound, 0)));
        panels.add(image(bars("max |grad_x D| over real data (log)", rows, GanSummary::maxGradientNorm, 0)));
        return tile(panels, 2);
    }

    private static CategoryChart bars(
            String title, List<GanSummary> rows, Function<GanSummary, GanSummary.Stat> f, double max) {
        CategoryChart chart = new CategoryChartBuilder()
                .width(2 * PANEL)
                .height(PANEL)
                .title(title)
                .xAxisTitle("constraint")
                .yAxisTitle("mean ± sd over seeds")
                .build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        List<String> names = rows.stream().map(GanSummary::constraint).toList();
        List<Double> means = new ArrayList<>();
        List<Double> sds = new ArrayList<>();
        List<Double> lows = new ArrayList<>();
        List<Double> highs = new ArrayList<>();
        for (GanSummary r : rows) {
            GanSummary.Stat s = f.apply(r);
            means.add(s.mean());
            sds.add(s.sd());
            lows.add(Math.max(LOG_FLOOR, s.mean() - s.sd()));
            highs.add(Math.max(LOG_FLOOR, s.mean() + s.sd()));
        }
        if (max > 0) {
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setSeriesColors(new Color[] {PALETTE[0]});
            chart.getStyler().setErrorBarsColor(Color.BLACK);
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(max);
            chart.addSeries(title, names, means, sds);
        } else {
            // a logarithmic axis can show neither bars from 0 nor XChart's error bars: the mean and mean ± sd
            // as points (a lower end at or below 0 is drawn at the axis floor)
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setSeriesColors(new Color[] {PALETTE[0], Color.BLACK, Color.BLACK});
            chart.getStyler().setMarkerSize(9);
            chart.getStyler().setOverlapped(true);
            chart.addSeries(
                            "mean",
                            names,
                            means.stream().map(m -> Math.max(LOG_FLOOR, m)).toList())
                    .setMarker(SeriesMarkers.CIRCLE);
            chart.addSeries("mean + sd", names, highs).setMarker(SeriesMarkers.TRIANGLE_DOWN);
            chart.addSeries("mean - sd", names, lows).setMarker(SeriesMarkers.TRIANGLE_UP);
        }
        return chart;
    }

    private static XYChart xy(String title, String yTitle) {
        XYChart chart = new XYChartBuilder()
                .width(2 * PANEL)
                .height(PANEL)
                .title(title)
                .xAxisTitle("generator step")
                .yAxisTitle(yTitle)
                .build();
        plain(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(5);
        return chart;
    }

    private static void line(
            XYChart chart,
            String name,
            List<GanTrainer.Metrics> metrics,
            ToDoubleFunction<GanTrainer.Metrics> f,
            int color) {
        if (metrics.isEmpty()) {
            return;
        }
        double[] x = metrics.stream().mapToDouble(GanTrainer.Metrics::step).toArray();
        double[] y = metrics.stream().mapToDouble(f).toArray();
        XYSeries s = chart.addSeries(name, x, y);
        s.setLineColor(PALETTE[color % PALETTE.length]);
        s.setMarkerColor(PALETTE[color % PALETTE.length]);
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    private static void plain(XYChart chart) {
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    }

    private static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The panels left to right, {@code columns} per row, as one PNG. */
    static byte[] tile(List<BufferedImage> panels, int columns) throws IOException {
        int cols = Math.max(1, Math.min(columns, panels.size()));
        int rows = (panels.size() + cols - 1) / cols;
        int w = panels.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int h = panels.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage out = new BufferedImage(w * cols, h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i), (i % cols) * w, (i / cols) * h, null);
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return bytes.toByteArray();
    }

    private static double[] xs(double[] rows) {
        double[] x = new double[rows.length / 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = rows[2 * i];
        }
        return x;
    }

    private static double[] ys(double[] rows) {
        double[] y = new double[rows.length / 2];
        for (int i = 0; i < y.length; i++) {
            y[i] = rows[2 * i + 1];
        }
        return y;
    }

    /** The measurements nearest to steps 0, N/4, N/2 and N, without repeats. */
    public static List<GanTrainer.Metrics> snapshots(List<GanTrainer.Metrics> metrics) {
        int last = metrics.get(metrics.size() - 1).step();
        Set<GanTrainer.Metrics> chosen = new LinkedHashSet<>();
        for (int target : new int[] {0, last / 4, last / 2, last}) {
            GanTrainer.Metrics best = metrics.get(0);
            for (GanTrainer.Metrics m : metrics) {
                if (Math.abs(m.step() - target) < Math.abs(best.step() - target)) {
                    best = m;
                }
            }
            chosen.add(best);
        }
        return List.copyOf(chosen);
    }
}
