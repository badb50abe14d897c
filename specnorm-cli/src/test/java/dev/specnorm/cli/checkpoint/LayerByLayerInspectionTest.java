package dev.specnorm.cli.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Backends;
import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.api.SpectralBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each planned layer inspected on its own ({@link CheckpointInspector#inspectLayer}) against the whole-file
 * inspection: every value bit for bit, for every method (power and Lanczos start vectors depend on the
 * matrix index, which the plan keeps), over fixtures with several shape groups, convolutions in slices (many
 * matrices per layer) and a --layers selection.
 */
class LayerByLayerInspectionTest {

    private static final List<String> FILES = List.of(
            "safetensors/mlp_f32.safetensors",
            "safetensors/cnn_f16.safetensors",
            "pt/cnn_f16.pt",
            "pt/many_views.pt",
            "numpy/weights_f32.npz");

    @ParameterizedTest
    @EnumSource(InspectOptions.Method.class)
    void everyLayerAloneEqualsTheWholeFileInspection(InspectOptions.Method method) throws IOException {
        for (ConvolutionReshape reshape : List.of(ConvolutionReshape.FILTERS, ConvolutionReshape.SLICES)) {
            InspectOptions options = new InspectOptions(null, reshape, method, 4, 11, 8, false, 2);
            try (SpectralBackend cpu = Backends.open("cpu")) {
                CheckpointInspector inspector = new CheckpointInspector(cpu, options, InspectProgress.NONE);
                for (String name : FILES) {
                    Path file = CheckpointFixtures.path(name);
                    CheckpointReport whole = inspector.inspect(file);
                    try (TensorSource source = Checkpoints.open(file, false)) {
                        CheckpointPlan plan = CheckpointInspector.plan(source, file, options);
                        assertEquals(whole.format(), plan.format(), name);
                        assertEquals(whole.tensors(), plan.tensors(), name);
                        assertEquals(whole.skippedLowRank(), plan.skippedLowRank(), name);
                        assertEquals(whole.layers().size(), plan.layers().size(), name);
                        String[] spectra = new String[whole.spectra().size()];
                        for (int i = 0; i < plan.layers().size(); i++) {
                            CheckpointPlan.Layer layer = plan.layers().get(i);
                            InspectedLayer alone = inspector.inspectLayer(source, file, layer);
                            assertSame(whole.layers().get(i), alone.report(), name + " " + method + " " + reshape);
                            if (layer.spectrumRank() < 0) {
                                assertNull(alone.spectrum());
                            } else {
                                spectra[layer.spectrumRank()] = layer.name();
                                assertArrayEquals(whole.spectra().get(layer.name()), alone.spectrum(), name);
                            }
                        }
                        assertArrayEquals(whole.spectra().keySet().toArray(), spectra, name + ": spectra in order");
                    }
                }
            }
        }
    }

    @Test
    void aSelectionKeepsTheIndexOfTheSelectedLayers() throws IOException {
        InspectOptions options = new InspectOptions(
                Pattern.compile("2\\."), ConvolutionReshape.FILTERS, InspectOptions.Method.POWER, 3, 5, 8, false, 0);
        Path file = CheckpointFixtures.path("safetensors/mlp_f32.safetensors");
        try (SpectralBackend cpu = Backends.open("cpu");
                TensorSource source = Checkpoints.open(file, false)) {
            CheckpointInspector inspector = new CheckpointInspector(cpu, options, InspectProgress.NONE);
            CheckpointReport whole = inspector.inspect(file);
            CheckpointPlan plan = CheckpointInspector.plan(source, file, options);
            assertTrue(plan.skippedNotSelected() > 0, "the selection leaves layers out");
            assertEquals(whole.skippedNotSelected(), plan.skippedNotSelected());
            for (int i = 0; i < plan.layers().size(); i++) {
                assertSame(
                        whole.layers().get(i),
                        inspector
                                .inspectLayer(source, file, plan.layers().get(i))
                                .report(),
                        plan.layers().get(i).name());
            }
            assertEquals(Map.of(), whole.spectra());
        }
    }

    private static void assertSame(LayerReport e, LayerReport a, String where) {
        assertEquals(e.name(), a.name(), where);
        assertArrayEquals(e.shape(), a.shape(), where);
        assertEquals(
                List.of(e.dtype(), e.matrices(), e.rows(), e.cols(), e.convOperatorConverged()),
                List.of(a.dtype(), a.matrices(), a.rows(), a.cols(), a.convOperatorConverged()),
                where);
        assertArrayEquals(
                new double[] {
                    e.sigma(),
                    e.residualBound(),
                    e.powerSigma(),
                    e.powerRelativeError(),
                    e.frobenius(),
                    e.convOperatorNorm(),
                    e.convCircularNorm()
                },
                new double[] {
                    a.sigma(),
                    a.residualBound(),
                    a.powerSigma(),
                    a.powerRelativeError(),
                    a.frobenius(),
                    a.convOperatorNorm(),
                    a.convCircularNorm()
                },
                0.0,
                where + " " + e.name() + ": bit for bit");
    }
}
