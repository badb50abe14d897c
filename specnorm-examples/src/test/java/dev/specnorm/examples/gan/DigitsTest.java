package dev.specnorm.examples.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The bundled digits against what scripts/make-digits-fixture.py printed from scikit-learn's load_digits. */
class DigitsTest {

    @Test
    void theBundledDigitsAreScikitLearnsLoadDigits() {
        Digits d = Digits.load();
        assertEquals(1797, d.size());
        int[] counts = new int[10];
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int n = 0; n < d.size(); n++) {
            counts[d.label(n)]++;
            for (double x : d.image(n)) {
                sum += (x + 1) * 8;
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, counts);
        assertEquals(4.884164579855314, sum / (1797.0 * 64), 1e-12);
        assertEquals(-1, min);
        assertEquals(1, max);
        double first = 0;
        for (double x : d.image(0)) {
            first += (x + 1) * 8;
        }
        assertEquals(294, first, 1e-9);
        assertEquals(0, d.label(0));
        assertEquals(4, d.label(4));
        assertArrayEquals(d.image(3), d.batch(new int[] {3}));
    }
}
