package dev.specnorm.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.specnorm.api.testing.Tolerances;
import dev.specnorm.examples.npy.NpyArray;
import dev.specnorm.examples.npy.NpyReader;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code specnorm svd} against NumPy's float64 singular values; the U, S, Vh files must reconstruct W to
 * SPEC.md's τ (vectors are defined only up to sign, so they are not compared entry by entry).
 */
class SvdCommandTest {

    @TempDir
    Path dir;

    private static void assertSingularValues(double[] expected, JsonNode actual, double tau) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.get(i).asDouble(), tau * expected[0], "singular value " + i);
        }
    }

    @Test
    void singularValuesAgreeWithNumpyAndTheFilesReconstructW() throws IOException {
        Path w = Fixtures.path("cli/w.npy");
        String prefix = dir.resolve("w").toString();
        JsonNode json = CliRunner.json("svd", w, "--out", prefix);
        double tau = Tolerances.singularValues(40, 24);
        double[] expected = Fixtures.doubles(Fixtures.references().at("/w/singularValues"));
        assertSingularValues(expected, json.at("/singularValues/0"), tau);
        assertEquals(prefix + "-U.npy", json.at("/files/U").asText());

        NpyArray u = NpyReader.read(Path.of(prefix + "-U.npy"));
        NpyArray s = NpyReader.read(Path.of(prefix + "-S.npy"));
        NpyArray vh = NpyReader.read(Path.of(prefix + "-Vh.npy"));
        assertArrayEquals(new int[] {40, 24}, u.shape());
        assertArrayEquals(new int[] {24}, s.shape());
        assertArrayEquals(new int[] {24, 24}, vh.shape());
        for (int i = 0; i < 24; i++) {
            assertEquals(json.at("/singularValues/0/" + i).floatValue(), s.data()[i], "S.npy holds the values printed");
        }
        float[] weights = NpyReader.read(w).data();
        double error = Dense64.reconstructionError(u.data(), s.data(), vh.data(), weights, 0, 40, 24);
        assertTrue(error <= tau * Dense64.frobenius(weights), "||U S Vh - W||_F = " + error);
    }

    @Test
    void aBatchGivesBatchedFiles() throws IOException {
        Path batch = Fixtures.path("cli/batch.npy");
        String prefix = dir.resolve("b").toString();
        JsonNode json = CliRunner.json("svd", batch, "--out", prefix);
        double tau = Tolerances.singularValues(12, 8);
        NpyArray u = NpyReader.read(Path.of(prefix + "-U.npy"));
        NpyArray s = NpyReader.read(Path.of(prefix + "-S.npy"));
        NpyArray vh = NpyReader.read(Path.of(prefix + "-Vh.npy"));
        assertArrayEquals(new int[] {3, 12, 8}, u.shape());
        assertArrayEquals(new int[] {3, 8}, s.shape());
        assertArrayEquals(new int[] {3, 8, 8}, vh.shape());
        float[] weights = NpyReader.read(batch).data();
        for (int b = 0; b < 3; b++) {
            double[] expected = Fixtures.doubles(Fixtures.references().at("/batch/singularValues/" + b));
            assertSingularValues(expected, json.at("/singularValues/" + b), tau);
            double error = Dense64.reconstructionError(u.data(), s.data(), vh.data(), weights, b, 12, 8);
            assertTrue(error <= tau * Dense64.frobenius(Dense64.matrix(weights, b, 12, 8)), "matrix " + b + ": " + error);
        }
    }

    @Test
    void textOutputListsTheValues() {
        CliRunner.Result result = CliRunner.run("svd", Fixtures.path("cli/batch.npy")).succeeded();
        assertTrue(result.out().contains("singular values, descending:"), result.out());
        assertTrue(result.out().contains("matrix 2:"), result.out());
    }
}
