package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.specnorm.api.testing.Tolerances;
import dev.specnorm.cli.io.NpyArray;
import dev.specnorm.cli.io.NpyReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code specnorm normalize}: W / σ̂ in the input's shape, with σ(W / σ̂) ≈ 1. */
class NormalizeCommandTest {

    @TempDir
    Path dir;

    /** Every output entry is the input entry divided by its matrix's σ̂ (one float32 rounding, or two). */
    private static void assertDividedBy(float[] input, float[] output, float[] sigmas, int matrixSize) {
        assertEquals(input.length, output.length);
        for (int i = 0; i < input.length; i++) {
            double expected = (double) input[i] / sigmas[i / matrixSize];
            assertEquals(
                    expected,
                    output[i],
                    2 * Tolerances.FLOAT_EPS * Math.abs(expected) + Float.MIN_NORMAL,
                    "entry " + i);
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).floatValue();
        }
        return out;
    }

    @Test
    void normalizedMatrixHasSpectralNormOne() throws IOException {
        Path w = Fixtures.path("cli/w.npy");
        Path out = dir.resolve("w-sn.npy");
        JsonNode json = CliRunner.json("normalize", w, "--out", out);
        assertEquals("normalize", json.get("command").asText());
        assertEquals(out.toString(), json.get("out").asText());
        NpyArray normalized = NpyReader.read(out);
        assertArrayEquals(new int[] {40, 24}, normalized.shape());
        assertEquals("<f4", normalized.sourceDtype().descr());
        float[] sigmas = floats(json.get("sigmas"));
        assertDividedBy(NpyReader.read(w).data(), normalized.data(), sigmas, 40 * 24);

        // σ(W/σ̂) = σ₁/σ̂; with the fixture's gap, σ̂ is σ₁ to the float32 floor after the default warm-up
        double tau = Tolerances.singularValues(40, 24);
        double sigma = CliRunner.json("sigma", out).at("/sigmas/0").asDouble();
        double sigma1 = Fixtures.references().at("/w/singularValues/0").asDouble();
        assertEquals(sigma1 / sigmas[0], sigma, tau * sigma);
        assertEquals(1.0, sigma, 2 * tau);
    }

    @ParameterizedTest
    @ValueSource(strings = {"filters", "slices", "transposed"})
    void convolutionWeightsAreWrittenBackInTheirLayout(String reshape) throws IOException {
        Path conv = Fixtures.path("cli/conv.npy");
        Path out = dir.resolve("conv-sn.npy");
        JsonNode json = CliRunner.json("normalize", conv, "--out", out, "--reshape", reshape);
        NpyArray normalized = NpyReader.read(out);
        assertArrayEquals(new int[] {8, 4, 3, 3}, normalized.shape());
        float[] sigmas = floats(json.get("sigmas"));
        float[] input = NpyReader.read(conv).data();
        switch (reshape) {
            // one matrix: every entry divided by the same σ̂
            case "filters", "transposed" -> assertDividedBy(input, normalized.data(), sigmas, input.length);
            // slice (o, i) is the 3×3 block at (o·4 + i)·9, divided by its own σ̂
            default -> assertDividedBy(input, normalized.data(), sigmas, 9);
        }
        double[] expected = Fixtures.doubles(Fixtures.references()
                .at("/conv/sigma" + Character.toUpperCase(reshape.charAt(0)) + reshape.substring(1)));
        assertEquals(expected.length, sigmas.length);
    }

    @Test
    void anOutputThatCannotBeWrittenIsExitOneAndSavesNoState() {
        Path out = dir.resolve("no/such/dir/out.npy");
        Path state = dir.resolve("state.npz");
        String line = CliRunner.run("normalize", Fixtures.path("cli/w.npy"), "--out", out, "--state", state)
                .failedWith(ExitCodes.FAILURE);
        assertTrue(line.endsWith("cannot write " + out + ": no such directory"), line);
        assertTrue(!Files.exists(state), "state is saved only after the output");
    }

    @Test
    void textOutputNamesTheFileWritten() {
        Path out = dir.resolve("batch-sn.npy");
        CliRunner.Result result = CliRunner.run("normalize", Fixtures.path("cli/batch.npy"), "--out", out)
                .succeeded();
        assertTrue(result.out().contains("wrote " + out + " (shape (3, 12, 8), float32)"), result.out());
    }
}
