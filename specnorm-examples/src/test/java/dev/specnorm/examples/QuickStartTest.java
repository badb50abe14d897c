package dev.specnorm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Backends;
import dev.specnorm.api.SeededGaussian;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.Tolerances;
import org.junit.jupiter.api.Test;

/** The README's example runs and returns what its comments promise. */
class QuickStartTest {

    @Test
    void readmeExampleComputesWhatItSays() {
        float[] w = new float[64 * 576];
        float[] kernel = new float[128 * 64 * 9];
        new SeededGaussian(7, 0).fill(w, 0, w.length);
        new SeededGaussian(7, 1).fill(kernel, 0, kernel.length);
        try (SpectralBackend backend = Backends.open("cpu")) {
            QuickStart.Result r = QuickStart.run(backend, w, kernel);
            assertEquals(2, r.exact().length, "one sigma per layer");
            for (int k = 0; k < 2; k++) {
                assertTrue(
                        r.sigmaHat()[k] <= r.exact()[k] * (1 + Tolerances.POWER_UPPER_BOUND),
                        "estimate " + r.sigmaHat()[k] + " exceeds sigma " + r.exact()[k]);
                assertTrue(r.sigmaHat()[k] > 0.5 * r.exact()[k], "estimate far below sigma after 16 iterations");
            }
            assertEquals(64 + 128, r.u().length, "checkpoint holds one u per matrix");
            assertEquals(576 + 64 * 9, r.v().length, "checkpoint holds one v per matrix");
            assertTrue(r.penalty().loss() > 0 && r.penalty().perMatrix().length == 2);
        }
    }
}
