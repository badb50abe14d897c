package dev.specnorm.cli;

import static dev.specnorm.api.testing.NumericAssertions.assertDecomposition;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.testing.Dense;
import dev.specnorm.api.testing.Tolerances;
import dev.specnorm.cli.io.NpyArray;
import dev.specnorm.cli.io.NpyReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code specnorm svd} against NumPy's float64 singular values; the U, S, Vh files must reconstruct W to
 * SPEC.md's τ with orthonormal U and V (vectors are defined only up to sign, so they are not compared entry
 * by entry).
 */
class SvdCommandTest {

    @TempDir
    Path dir;

    /** The U, S and Vh files {@code specnorm svd --out PREFIX} writes. */
    private record SvdFiles(NpyArray u, NpyArray s, NpyArray vh) {
        static SvdFiles read(String prefix) throws IOException {
            return new SvdFiles(
                    NpyReader.read(Path.of(prefix + "-U.npy")),
                    NpyReader.read(Path.of(prefix + "-S.npy")),
                    NpyReader.read(Path.of(prefix + "-Vh.npy")));
        }

        void assertShapes(int[] uShape, int[] sShape, int[] vhShape) {
            assertArrayEquals(uShape, u.shape(), "U.npy");
            assertArrayEquals(sShape, s.shape(), "S.npy");
            assertArrayEquals(vhShape, vh.shape(), "Vh.npy");
        }

        /** The thin SVD of matrix {@code k} of m×n matrices, as the files hold it. */
        SingularDecomposition matrix(int k, int m, int n) {
            int r = Math.min(m, n);
            return new SingularDecomposition(
                    m,
                    n,
                    Arrays.copyOfRange(s.data(), k * r, (k + 1) * r),
                    Arrays.copyOfRange(u.data(), k * m * r, (k + 1) * m * r),
                    Arrays.copyOfRange(vh.data(), k * r * n, (k + 1) * r * n));
        }
    }

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

        SvdFiles files = SvdFiles.read(prefix);
        files.assertShapes(new int[] {40, 24}, new int[] {24}, new int[] {24, 24});
        for (int i = 0; i < 24; i++) {
            assertEquals(
                    json.at("/singularValues/0/" + i).floatValue(),
                    files.s().data()[i],
                    "S.npy holds the values printed");
        }
        float[] weights = NpyReader.read(w).data();
        assertDecomposition("U S Vh", files.matrix(0, 40, 24), Dense.of(weights, 0, 40, 24));
    }

    @Test
    void aBatchGivesBatchedFiles() throws IOException {
        Path batch = Fixtures.path("cli/batch.npy");
        String prefix = dir.resolve("b").toString();
        JsonNode json = CliRunner.json("svd", batch, "--out", prefix);
        double tau = Tolerances.singularValues(12, 8);
        SvdFiles files = SvdFiles.read(prefix);
        files.assertShapes(new int[] {3, 12, 8}, new int[] {3, 8}, new int[] {3, 8, 8});
        float[] weights = NpyReader.read(batch).data();
        for (int b = 0; b < 3; b++) {
            double[] expected = Fixtures.doubles(Fixtures.references().at("/batch/singularValues/" + b));
            assertSingularValues(expected, json.at("/singularValues/" + b), tau);
            assertDecomposition("matrix " + b, files.matrix(b, 12, 8), Dense.of(weights, b * 96, 12, 8));
        }
    }

    @Test
    void textOutputListsTheValues() {
        CliRunner.Result result =
                CliRunner.run("svd", Fixtures.path("cli/batch.npy")).succeeded();
        assertTrue(result.out().contains("singular values, descending:"), result.out());
        assertTrue(result.out().contains("matrix 2:"), result.out());
    }
}
