package dev.specnorm.examples.gan;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of the digits GAN: sample grids (8 × 8 images of 8×8 pixels, grey levels from −1 black to 1
 * white, each pixel drawn as a 4×4 block) of real digits and of the fixed latent vectors' images at about
 * steps 0, N/4, N/2 and N; and the curves of precision, recall, digits covered and the losses of each run.
 */
public final class DigitsCharts {

    private static final int SCALE = 4;
    private static final int GAP = 2;
    private static final int CAPTION = 22;
    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40)
    };

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private DigitsCharts() {}

    /** One panel of {@code real} (its first 64 images), then one per snapshot, captioned with the step. */
    public static byte[] grids(String title, double[] real, List<DigitsGanTrainer.Metrics> snapshots)
            throws IOException {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(grid(title + ": real", real));
        for (DigitsGanTrainer.Metrics m : snapshots) {
            panels.add(grid(title + ": step " + m.step(), m.grid()));
        }
        return GanCharts.tile(panels, panels.size());
    }

    /** Up to 64 images (rows of 64 pixels in [−1, 1]) as an 8 × 8 grid under a caption. */
    static BufferedImage grid(String caption, double[] images) {
        int side = Digits.SIDE * SCALE;
        int cells = 8;
        int width = cells * (side + GAP) + GAP;
        BufferedImage out =
                new BufferedImage(Math.max(width, 8 * caption.length()), width + CAPTION, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(caption, GAP, CAPTION - 6);
        g.setColor(new Color(200, 200, 200));
        g.fillRect(0, CAPTION, width, width);
        int count = Math.min(cells * cells, images.length / Digits.PIXELS);
        for (int n = 0; n < count; n++) {
            int x0 = GAP + (n % cells) * (side + GAP);
            int y0 = CAPTION + GAP + (n / cells) * (side + GAP);
            for (int p = 0; p < Digits.PIXELS; p++) {
                double v = Math.max(-1, Math.min(1, images[n * Digits.PIXELS + p]));
                int level = (int) Math.round((v + 1) * 127.5);
                g.setColor(new Color(level, level, level));
                g.fillRect(x0 + (p % Digits.SIDE) * SCALE, y0 + (p / Digits.SIDE) * SCALE, SCALE, SCALE);
            }
        }
        g.dispose();
        return out;
    }

    /** Precision, recall, digits covered and D's loss over the steps, one line per run (keyed by its name). */
    public static byte[] curves(Map<String, List<DigitsGanTrainer.Metrics>> runs) throws IOException {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(chart(
                "precision (generated inside the real manifold)",
                runs,
                m -> m.quality().precision(),
                true));
        panels.add(chart(
                "recall (real inside the generated manifold)",
                runs,
                m -> m.quality().recall(),
                true));
        panels.add(chart(
                "digits covered (nearest-real labels, of 10)",
                runs,
                m -> m.quality().classesCovered(),
                false));
        panels.add(chart(
                "discriminator loss (mean since last point)",
                runs,
                DigitsGanTrainer.Metrics::discriminatorLoss,
                false));
        return GanCharts.tile(panels, 2);
    }

    private static BufferedImage chart(
            String title,
            Map<String, List<DigitsGanTrainer.Metrics>> runs,
            ToDoubleFunction<DigitsGanTrainer.Metrics> f,
            boolean unit) {
        XYChart chart = new XYChartBuilder()
                .width(2 * GanCharts.PANEL)
                .height(GanCharts.PANEL)
                .title(title)
                .xAxisTitle("generator step")
                .build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setMarkerSize(5);
        if (unit) {
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        }
        int color = 0;
        for (Map.Entry<String, List<DigitsGanTrainer.Metrics>> e : runs.entrySet()) {
            List<DigitsGanTrainer.Metrics> ms = e.getValue().stream()
                    .filter(m -> unit || !title.startsWith("discriminator") || m.step() > 0)
                    .toList();
            if (ms.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(
                    e.getKey(),
                    ms.stream().mapToDouble(DigitsGanTrainer.Metrics::step).toArray(),
                    ms.stream().mapToDouble(f).toArray());
            s.setLineColor(PALETTE[color % PALETTE.length]);
            s.setMarkerColor(PALETTE[color % PALETTE.length]);
            s.setMarker(SeriesMarkers.CIRCLE);
            color++;
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The measurements nearest to steps 0, N/4, N/2 and N, without repeats. */
    public static List<DigitsGanTrainer.Metrics> snapshots(List<DigitsGanTrainer.Metrics> metrics) {
        int last = metrics.get(metrics.size() - 1).step();
        Set<DigitsGanTrainer.Metrics> chosen = new LinkedHashSet<>();
        for (int target : new int[] {0, last / 4, last / 2, last}) {
            DigitsGanTrainer.Metrics best = metrics.get(0);
            for (DigitsGanTrainer.Metrics m : metrics) {
                if (Math.abs(m.step() - target) < Math.abs(best.step() - target)) {
                    best = m;
                }
            }
            chosen.add(best);
        }
        return List.copyOf(chosen);
    }
}
