package dev.specnorm.examples.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.testing.KnownSpectrum;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccuracyCheckTest {

    @Test
    void accuracyCheckReportsErrorsAndTheUpperBound() {
        KnownSpectrum w = KnownSpectrum.of(20, 30, 63, 5, 1);
        MatrixBatch two = MatrixBatch.stack(List.of(w.batch(), w.batch()));
        float exact = (float) w.exact().values[0];
        AccuracyCheck.Report report = AccuracyCheck.check(List.of(two), new float[] {exact * 0.99f, exact * 1.01f});
        assertEquals(2, report.rows().size());
        AccuracyCheck.Row low = report.rows().get(0);
        assertEquals(exact, low.exact(), 1e-5 * exact);
        assertEquals(0.01, low.relativeError(), 1e-5);
        assertEquals(0.01 * exact, low.absoluteError(), 1e-4 * exact);
        assertTrue(low.withinUpperBound());
        assertFalse(report.rows().get(1).withinUpperBound());
        assertFalse(report.allWithinUpperBound());
        assertEquals(0.01, report.maxRelativeError(), 1e-5);
        assertEquals(0.01, report.medianRelativeError(), 1e-5);
        AccuracyCheck.Report zero = AccuracyCheck.compare(new float[] {0, 1, 2}, new float[] {0, 0, 2});
        assertEquals(0, zero.rows().get(0).relativeError());
        assertEquals(Double.POSITIVE_INFINITY, zero.rows().get(1).relativeError());
        assertEquals(0, zero.medianRelativeError());
        assertThrows(IllegalArgumentException.class, () -> AccuracyCheck.check(List.of(two), new float[1]));
    }
}
