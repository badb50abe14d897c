package dev.specnorm.examples.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The output size against a count of the kernel placements that fit, and the refusals. */
class ConvolutionGeometryTest {

    /** Positions p·s (p = 0, 1, ...) at which a kernel of k fits in a padded length of n + 2·pad. */
    private static int placements(int n, int k, int stride, int pad) {
        int count = 0;
        for (int start = 0; start + k <= n + 2 * pad; start += stride) {
            count++;
        }
        return count;
    }

    @Test
    void outputSizeCountsTheKernelPlacements() {
        for (int n = 1; n <= 9; n++) {
            for (int k = 1; k <= 4; k++) {
                for (int s = 1; s <= 3; s++) {
                    for (int p = 0; p <= 2; p++) {
                        if (n + 2 * p < k) {
                            continue;
                        }
                        ConvolutionGeometry g = new ConvolutionGeometry(2, n, n + 1, k, 1, s, p);
                        assertEquals(placements(n, k, s, p), g.outHeight(), g.toString());
                        assertEquals(placements(n + 1, 1, s, p), g.outWidth(), g.toString());
                        assertEquals(2 * n * (n + 1), g.inputLength());
                        // the first output reads from -p, the last within the padded input
                        assertEquals(-p, g.inputRow(0, 0));
                        assertTrue(g.inputRow(g.outHeight() - 1, k - 1) <= n - 1 + p, g.toString());
                    }
                }
            }
        }
    }

    @Test
    void refusesWhatDoesNotFit() {
        assertThrows(IllegalArgumentException.class, () -> new ConvolutionGeometry(1, 2, 2, 5, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ConvolutionGeometry(1, 2, 2, 1, 5, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ConvolutionGeometry(0, 2, 2, 1, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConvolutionGeometry(1, 2, 2, 1, 1, 0, 0));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ConvolutionGeometry(1, 4, 4, 3, 3, 1, -1));
        assertTrue(e.getMessage().contains("padding -1"), e.getMessage());
    }
}
