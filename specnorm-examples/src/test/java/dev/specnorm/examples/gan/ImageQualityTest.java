package dev.specnorm.examples.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Precision, recall and the nearest-real digit histogram against values worked out by hand. */
class ImageQualityTest {

    /**
     * Real points 0..4 on a line (3rd-neighbour radii 3, 2, 2, 2, 3), generated 0.5, 7.5, 10, 20, 30 (radii 19.5,
     * 12.5, 10, 12.5, 22.5): only 0.5 lies in a real ball (precision 1/5); every real point lies in 0.5's ball
     * (recall 1); nearest-real labels 0, 4, 4, 4, 4: two digits, KL = 0.2 ln 2 + 0.8 ln 8.
     */
    @Test
    void aLineWorkedOutByHand() {
        ImageQuality q = ImageQuality.of(
                new double[] {0.5, 7.5, 10, 20, 30}, new double[] {0, 1, 2, 3, 4}, new int[] {0, 1, 2, 3, 4}, 1);
        assertEquals(0.2, q.precision(), 1e-15);
        assertEquals(1.0, q.recall(), 1e-15);
        assertEquals(2, q.classesCovered());
        assertEquals(0.2 * Math.log(2) + 0.8 * Math.log(8), q.klUniform(), 1e-12);
    }

    @Test
    void theDigitsAgainstThemselvesAndAgainstAFarCopy() {
        Digits d = Digits.load();
        int n = 300;
        int[] rows = new int[n];
        int[] labels = new int[n];
        int[] counts = new int[10];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
            labels[i] = d.label(i);
            counts[labels[i]]++;
        }
        double[] x = d.batch(rows);
        ImageQuality same = ImageQuality.of(x, x, labels, Digits.PIXELS);
        assertEquals(1.0, same.precision());
        assertEquals(1.0, same.recall());
        assertEquals(10, same.classesCovered());
        double kl = 0;
        for (int c : counts) {
            kl += c / (double) n * Math.log(10.0 * c / n);
        }
        assertEquals(kl, same.klUniform(), 1e-12);
        double[] far = x.clone();
        for (int i = 0; i < far.length; i++) {
            far[i] += 100;
        }
        ImageQuality apart = ImageQuality.of(far, x, labels, Digits.PIXELS);
        assertEquals(0.0, apart.precision());
        assertEquals(0.0, apart.recall());
    }

    @Test
    void tooFewRowsAreRejected() {
        assertThrows(
                IllegalArgumentException.class, () -> ImageQuality.of(new double[3], new double[5], new int[5], 1));
    }
}
