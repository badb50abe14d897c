package dev.specnorm.examples.gan;

import static dev.specnorm.examples.gan.TestVectors.dot;
import static dev.specnorm.examples.gan.TestVectors.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Backends;
import dev.specnorm.api.SpectralBackend;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The digits GAN's parts: the upsampling's backward is its adjoint; the generator's backward pass against
 * central finite differences of L = Σ r ⊙ G(z) (float64 loss; float32 parameters, divided by the exact
 * float32 step; 1e-4 normwise tolerance). ReLU has a kink at 0, where a finite difference is no reference: with the initial
 * zero biases an all-zero patch gives a pre-activation of exactly 0, so the test first draws every bias from
 * N(0, 0.25), and steps by 1e-4 so that no pre-activation crosses 0 between the two evaluations (as SPEC.md
 * keeps `l1`'s finite differences away from its kink). A short run under {@code sn} keeps
 * every σ(Ŵ) ≥ 1 − 1e-5 (SPEC.md's σ̂ ≤ σ) while {@code none} does not normalize.
 */
class DigitsGanTest {

    private static final SpectralBackend CPU = Backends.open("cpu");
    private final Random random = new Random(20261206);

    @AfterAll
    static void close() {
        CPU.close();
    }

    @Test
    void upsamplingBackwardIsTheAdjoint() {
        NearestUpsample up = new NearestUpsample(3, 2);
        double[] x = gaussian(random, 2 * 3 * 4);
        double[] y = gaussian(random, 2 * 3 * 16);
        assertEquals(dot(up.forward(x, 2), y), dot(x, up.backward(y, 2)), 1e-12);
        assertEquals(x[0], up.forward(x, 2)[5]);
    }

    @Test
    void generatorGradientsMatchFiniteDifferences() {
        DigitsGenerator g = new DigitsGenerator(new int[] {8, 4, 4}, 3);
        int rows = 2;
        double[] z = gaussian(random, rows * DigitsGenerator.LATENT);
        double[] r = gaussian(random, rows * Digits.PIXELS);
        List<float[]> params = g.parameters();
        for (int p = 1; p < params.size(); p += 2) {
            float[] bias = params.get(p);
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) (0.5 * random.nextGaussian());
            }
        }
        g.zeroGradients();
        g.forward(z, rows);
        double[] gz = g.backward(r);
        List<double[]> grads = g.gradients();
        for (int p = 0; p < params.size(); p++) {
            float[] w = params.get(p);
            double err = 0;
            double norm = 0;
            for (int i = 0; i < w.length; i += Math.max(1, w.length / 40)) {
                float keep = w[i];
                float up = keep + 1e-4f;
                float down = keep - 1e-4f;
                w[i] = up;
                double lu = dot(r, g.forward(z, rows));
                w[i] = down;
                double ld = dot(r, g.forward(z, rows));
                w[i] = keep;
                double fd = (lu - ld) / ((double) up - down);
                err += (fd - grads.get(p)[i]) * (fd - grads.get(p)[i]);
                norm += fd * fd;
            }
            assertTrue(
                    Math.sqrt(err) <= 1e-4 * Math.max(1, Math.sqrt(norm)),
                    "parameter " + p + ": error " + Math.sqrt(err));
        }
        double err = 0;
        for (int i = 0; i < z.length; i++) {
            double keep = z[i];
            z[i] = keep + 1e-5;
            double lu = dot(r, g.forward(z, rows));
            z[i] = keep - 1e-5;
            double ld = dot(r, g.forward(z, rows));
            z[i] = keep;
            err = Math.max(err, Math.abs((lu - ld) / 2e-5 - gz[i]));
        }
        assertTrue(err < 1e-5, "∂L/∂z error " + err);
    }

    @Test
    void aShortSnRunKeepsEverySigmaAtOneAndNoneDoesNot() {
        Digits data = Digits.load();
        for (Constraint c : List.of(Constraint.SN, Constraint.NONE)) {
            DigitsGanTrainer.Options o =
                    new DigitsGanTrainer.Options(c, GanLoss.HINGE, 6, 8, 2e-4, 0.5, 0.999, 1, false, 3, 0);
            try (DigitsGanTrainer t = new DigitsGanTrainer(CPU, o, data)) {
                List<DigitsGanTrainer.Metrics> ms = t.train(m -> {});
                assertEquals(3, ms.size());
                for (DigitsGanTrainer.Metrics m : ms) {
                    assertTrue(Double.isFinite(m.discriminatorLoss()) && Double.isFinite(m.generatorLoss()));
                    assertEquals(DigitsGanTrainer.GRID_IMAGES * Digits.PIXELS, m.grid().length);
                    if (c == Constraint.SN) {
                        assertTrue(m.minSigma() >= 1 - 1e-5, "step " + m.step() + ": σ(Ŵ) = " + m.minSigma());
                    } else {
                        assertTrue(m.minSigma() < 0.9, "none: smallest σ(W) " + m.minSigma());
                    }
                }
                assertTrue(ms.get(2).convMs() > 0
                        && (c == Constraint.SN) == (ms.get(2).snMs() > 0));
            }
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> new DigitsGanTrainer.Options(
                        Constraint.SRIP, GanLoss.HINGE, 1, 8, 2e-4, 0.5, 0.999, 1, false, 1, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new DigitsGanTrainer.Options(
                        Constraint.SN, GanLoss.HINGE, 1, 1, 2e-4, 0.5, 0.999, 1, false, 1, 0));
    }
}
