package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.specnorm.cli.io.NpyArray;
import dev.specnorm.cli.io.NpyWriter;
import dev.specnorm.cli.io.NpzArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --state}: saved after success, continued on the next call, untouched by a failure. */
class PowerStateCliTest {

    private static final Path W = Fixtures.path("cli/w.npy");

    @TempDir
    Path dir;

    private static float sigma(JsonNode json) {
        return json.at("/sigmas/0").floatValue();
    }

    @Test
    void stateIsSavedAndTheNextCallContinuesFromIt() throws IOException {
        Path state = dir.resolve("state.npz");
        JsonNode first = CliRunner.json("sigma", W, "--method", "power", "--warmup", "2", "--state", state);
        assertFalse(first.at("/state/loaded").asBoolean());
        assertTrue(first.at("/state/saved").asBoolean());
        Map<String, NpyArray> saved = NpzArchive.read(state, "u", "v");
        assertArrayEquals(new int[] {1, 40}, saved.get("u").shape());
        assertArrayEquals(new int[] {1, 24}, saved.get("v").shape());

        // once the file exists, --seed and --warmup do not apply
        JsonNode second =
                CliRunner.json("sigma", W, "--method", "power", "--warmup", "9", "--seed", "5", "--state", state);
        assertTrue(second.at("/state/loaded").asBoolean());
        assertFalse(second.has("warmup"));

        // 2 warm-up + 1 + 1 iterations from seed 0 is 2 warm-up + 2 iterations in one call
        JsonNode oneCall = CliRunner.json("sigma", W, "--method", "power", "--warmup", "2", "--iterations", "2");
        assertEquals(sigma(oneCall), sigma(second), 1e-6f * sigma(oneCall));
        assertFalse(sigma(first) == sigma(second) && sigma(first) == 0, "the estimates are real values");
    }

    @Test
    void normalizeUsesAndSavesTheSameState() {
        Path state = dir.resolve("state.npz");
        CliRunner.json("sigma", W, "--method", "power", "--state", state);
        JsonNode normalized =
                CliRunner.json("normalize", W, "--out", dir.resolve("out.npy"), "--iterations", "0", "--state", state);
        assertTrue(normalized.at("/state/loaded").asBoolean());
        JsonNode evaluated = CliRunner.json("sigma", W, "--method", "power", "--iterations", "0", "--state", state);
        assertEquals(sigma(normalized), sigma(evaluated), 0f, "0 iterations evaluate the saved vectors");
    }

    @Test
    void aFailedCallLeavesTheStateFileUntouched() throws IOException {
        Path state = dir.resolve("state.npz");
        CliRunner.json("sigma", W, "--method", "power", "--state", state);
        // negate u: with 0 iterations uᵀWv < 0 is a stale state, which fails after the state was loaded
        Map<String, NpyArray> arrays = NpzArchive.read(state, "u", "v");
        float[] u = arrays.get("u").data();
        for (int i = 0; i < u.length; i++) {
            u[i] = -u[i];
        }
        Map<String, NpyArray> stale = new LinkedHashMap<>();
        stale.put("u", NpyArray.ofFloat32(new int[] {1, 40}, u));
        stale.put("v", arrays.get("v"));
        try (OutputStream out = Files.newOutputStream(state)) {
            NpzArchive.write(stale, out);
        }
        byte[] before = Files.readAllBytes(state);

        String error = CliRunner.run("sigma", W, "--method", "power", "--iterations", "0", "--state", state)
                .failedWith(ExitCodes.INVALID_INPUT);
        assertTrue(error.contains("stale"), error);
        assertArrayEquals(before, Files.readAllBytes(state));

        CliRunner.run("normalize", W, "--out", dir.resolve("out.npy"), "--iterations", "0", "--state", state)
                .failedWith(ExitCodes.INVALID_INPUT);
        assertArrayEquals(before, Files.readAllBytes(state));
        assertFalse(Files.exists(dir.resolve("out.npy")), "no output after a failure");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void stateOfOtherShapesIsInvalidInput() throws IOException {
        Path state = dir.resolve("state.npz");
        CliRunner.json("sigma", Fixtures.path("cli/batch.npy"), "--method", "power", "--state", state);
        byte[] before = Files.readAllBytes(state);
        String error =
                CliRunner.run("sigma", W, "--method", "power", "--state", state).failedWith(ExitCodes.INVALID_INPUT);
        assertTrue(error.contains(state + ": state u has shape (3, 12)") && error.contains("(1, 40)"), error);
        assertArrayEquals(before, Files.readAllBytes(state));
    }

    @Test
    void stateNumpyWroteIsAccepted() throws IOException {
        // npz/state_savez.npz holds u (2×3) and v (2×4): state for a batch of two 3×4 matrices
        Path weights = dir.resolve("w.npy");
        float[] values = new float[24];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 7) - 3 + 0.5f * (i % 3);
        }
        try (OutputStream out = Files.newOutputStream(weights)) {
            NpyWriter.write(NpyArray.ofFloat32(new int[] {2, 3, 4}, values), out);
        }
        Path state = Fixtures.copy("npz/state_savez.npz", dir);
        JsonNode json = CliRunner.json("sigma", weights, "--method", "power", "--state", state);
        assertTrue(json.at("/state/loaded").asBoolean());
        assertEquals(2, json.get("sigmas").size());
    }

    @Test
    void garbageStateFileIsInvalidInput() throws IOException {
        Path state = Files.writeString(dir.resolve("state.npz"), "not a zip");
        String error =
                CliRunner.run("sigma", W, "--method", "power", "--state", state).failedWith(ExitCodes.INVALID_INPUT);
        assertTrue(error.contains(state + ": is not a valid .npz"), error);
        assertEquals("not a zip", Files.readString(state));
    }
}
