package dev.specnorm.examples.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The GAN losses against their formulas and their derivatives against central finite differences
 * (h = 1e-6, away from the hinge's kinks at ±1), and the mixture metrics against closed forms.
 */
class GanLossTest {

    private static final double[] POINTS = {-7.5, -2.3, -1.4, -0.6, -0.1, 0, 0.3, 0.8, 1.7, 3.1, 9.0};

    private static void checkDerivative(String what, DoubleUnaryOperator f, DoubleUnaryOperator df) {
        double h = 1e-6;
        for (double t : POINTS) {
            double numeric = (f.applyAsDouble(t + h) - f.applyAsDouble(t - h)) / (2 * h);
            assertEquals(numeric, df.applyAsDouble(t), 1e-8, what + " at t = " + t);
        }
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        for (GanLoss l : GanLoss.values()) {
            checkDerivative(l + " real", l::real, l::realDerivative);
            checkDerivative(l + " fake", l::fake, l::fakeDerivative);
            checkDerivative(l + " generator", l::generator, l::generatorDerivative);
        }
    }

    @Test
    void lossesAreTheirFormulas() {
        for (double t : POINTS) {
            assertEquals(Math.log(1 + Math.exp(-t)), GanLoss.BCE.real(t), 1e-12);
            assertEquals(Math.log(1 + Math.exp(t)), GanLoss.BCE.fake(t), 1e-12);
            assertEquals(Math.log(1 + Math.exp(-t)), GanLoss.BCE.generator(t), 1e-12);
            assertEquals(Math.max(0, 1 - t), GanLoss.HINGE.real(t), 0);
            assertEquals(Math.max(0, 1 + t), GanLoss.HINGE.fake(t), 0);
            assertEquals(-t, GanLoss.HINGE.generator(t), 0);
            assertEquals(-t, GanLoss.WASSERSTEIN.real(t), 0);
            assertEquals(t, GanLoss.WASSERSTEIN.fake(t), 0);
        }
        assertEquals(800.0, GanLoss.BCE.real(-800), 1e-9);
        assertEquals(GanLoss.HINGE, GanLoss.fromName("Hinge"));
        assertThrows(IllegalArgumentException.class, () -> GanLoss.fromName("least-squares"));
    }

    @Test
    void energyDistanceIsSmallForOneDistributionAndMatchesAPairByHand() {
        GaussianMixture grid = GaussianMixture.grid();
        double same =
                GaussianMixture.energyDistance(grid.sample(1000, new Random(1)), grid.sample(1000, new Random(2)));
        double ring = GaussianMixture.energyDistance(
                grid.sample(1000, new Random(1)), GaussianMixture.ring().sample(1000, new Random(2)));
        assertTrue(Math.abs(same) < 0.02, "same distribution: " + same);
        assertTrue(ring > 0.5, "grid vs ring: " + ring);
        // x = {(0,0), (1,0)}, y = {(0,3), (0,4)}: 2·mean‖x−y‖ − ‖x₁−x₂‖ − ‖y₁−y₂‖
        double cross = (3 + 4 + Math.sqrt(10) + Math.sqrt(17)) / 4;
        assertEquals(
                2 * cross - 1 - 1,
                GaussianMixture.energyDistance(new double[] {0, 0, 1, 0}, new double[] {0, 3, 0, 4}),
                1e-12);
        assertThrows(
                IllegalArgumentException.class, () -> GaussianMixture.energyDistance(new double[2], new double[4]));
    }

    @Test
    void modeHistogramKlIsZeroForBalancedAndLogMForOneMode() {
        GaussianMixture grid = GaussianMixture.grid();
        double[] balanced = new double[2 * 25 * 4];
        double[] one = new double[balanced.length];
        for (int i = 0; i < 100; i++) {
            double[] c = grid.mode(i % 25);
            balanced[2 * i] = c[0];
            balanced[2 * i + 1] = c[1];
            one[2 * i] = 4.3;
            one[2 * i + 1] = -3.8;
        }
        GaussianMixture.Quality q = grid.quality(balanced);
        assertEquals(25, q.modesCovered());
        assertEquals(1.0, q.highQuality(), 0);
        assertEquals(0.0, q.klUniform(), 1e-12);
        GaussianMixture.Quality single = grid.quality(one);
        assertEquals(0, single.modesCovered());
        assertEquals(Math.log(25), single.klUniform(), 1e-12);
    }
}
