package dev.specnorm.examples.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison table's statistics and the choice of sample snapshots, against values computed by hand. */
class GanSummaryTest {

    @Test
    void meanAndSampleStandardDeviation() {
        GanSummary.Stat s = GanSummary.Stat.of(new double[] {1, 2, 3, 4});
        assertEquals(2.5, s.mean(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3), s.sd(), 1e-15);
        assertEquals(0, GanSummary.Stat.of(new double[] {7}).sd());
        assertEquals("2.500 ± 1.3", s.toString());
        assertThrows(IllegalArgumentException.class, () -> GanSummary.Stat.of(new double[0]));
    }

    @Test
    void snapshotsAreTheMeasurementsNearestToTheQuarterSteps() {
        List<GanTrainer.Metrics> metrics = new ArrayList<>();
        for (int step = 0; step <= 1500; step += 100) {
            metrics.add(new GanTrainer.Metrics(step, 0, 0, 0, 0, 8, 0, 0, 0, 1, 0, new float[0], new double[0]));
        }
        assertEquals(
                List.of(0, 400, 700, 1500),
                GanCharts.snapshots(metrics).stream()
                        .map(GanTrainer.Metrics::step)
                        .toList());
        assertEquals(
                List.of(0),
                GanCharts.snapshots(metrics.subList(0, 1)).stream()
                        .map(GanTrainer.Metrics::step)
                        .toList());
    }
}
