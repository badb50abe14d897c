package dev.specnorm.examples.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Backends;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.examples.SnganDiscriminator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The study's own numbers are consistent: on gapped spectra errors shrink with k, and σ̂ ≤ σ always. */
class StudyRunnerTest {

    private static StudyResult result;

    @BeforeAll
    static void run() {
        StudyConfig config = StudyConfig.defaults(true).with(List.of("gap"), null, null, 5L, null);
        try (SpectralBackend cpu = Backends.open("cpu")) {
            List<Subject> subjects = Populations.gap(config);
            result = new StudyRunner(cpu, config, new ProgressBar(new PrintWriter(new StringWriter()), false, 1))
                    .run(subjects, List.of());
        }
    }

    @Test
    void everyEstimateRespectsTheUpperBound() {
        assertFalse(result.samples().isEmpty());
        for (Sample s : result.samples()) {
            assertTrue(s.withinBound(), s.toString());
            if (s.j() == 1) {
                assertTrue(s.estimate() <= s.exact() * (1 + 1e-6), s.toString());
            }
        }
    }

    @Test
    void errorsShrinkWithIterationsOnAGappedSpectrum() {
        List<Summary.Stat> stats = Summary.stats(result.samples());
        for (String group : List.of("gap 0.5", "gap 0.9", "gap 0.99")) {
            List<Summary.Stat> cold = stats.stream()
                    .filter(s -> s.group().equals(group) && s.mode().equals("cold") && s.j() == 1)
                    .collect(Collectors.toList());
            assertEquals(StudyConfig.ITERATIONS.size(), cold.size(), group);
            for (int i = 1; i < cold.size(); i++) {
                // never grows, up to float32 rounding near the floor
                assertTrue(
                        cold.get(i).median() <= Math.max(cold.get(i - 1).median(), 1e-6),
                        group + " at k = " + cold.get(i).k() + ": " + cold);
            }
            assertTrue(cold.get(cold.size() - 1).max() < cold.get(0).median(), group + ": " + cold);
        }
        // the prescribed gaps are what the exact spectra show
        for (Sample s : result.samples()) {
            if (s.group().startsWith("gap ") && s.mode().equals("cold")) {
                double rho = Double.parseDouble(s.group().substring(4));
                assertEquals(rho, s.gap(), 1e-5, s.toString());
            }
        }
    }

    @Test
    void fasterConvergenceForLargerGaps() {
        List<Summary.Law> laws = Summary.laws(Summary.stats(result.samples()));
        Summary.Law half = laws.stream()
                .filter(l -> l.group().equals("gap 0.5") && l.mode().equals("cold"))
                .findFirst()
                .orElseThrow();
        Summary.Law nine = laws.stream()
                .filter(l -> l.group().equals("gap 0.9") && l.mode().equals("cold"))
                .findFirst()
                .orElseThrow();
        assertTrue((half.kFor1e5() > 0 && half.kFor1e5() <= nine.kFor1e5()) || nine.kFor1e5() < 0, laws.toString());
        assertTrue(half.fittedLog10() < nine.fittedLog10(), laws.toString());
    }

    @Test
    void topKFirstValueIsBoundedAndTheRestConverge() {
        int maxK = StudyConfig.ITERATIONS.get(StudyConfig.ITERATIONS.size() - 1);
        for (Sample s : result.samples()) {
            if (s.mode().equals("topk") && s.group().equals("gap 0.5") && s.k() == maxK) {
                assertTrue(s.relativeError() < 1e-3, s.toString());
            }
        }
    }

    @Test
    void snganPopulationHasTheDiscriminatorsWeights() {
        List<ConvLayerSpec> layers = Populations.snganLayers(StudyConfig.defaults(false));
        List<SnganDiscriminator.Layer> reference = SnganDiscriminator.layers(0);
        assertEquals(7, layers.size());
        int[] inputs = {32, 32, 16, 16, 8, 8, 4};
        for (int l = 0; l < layers.size(); l++) {
            ConvLayerSpec c = layers.get(l);
            assertArrayEquals(reference.get(l).weights().toArray(), c.weight(), c.name());
            assertEquals(reference.get(l).weightShape()[0], c.out());
            assertEquals(inputs[l], c.inputSize());
            assertEquals(l % 2 == 0 ? 1 : 2, c.stride());
            assertEquals(1, c.padding());
        }
    }
}
