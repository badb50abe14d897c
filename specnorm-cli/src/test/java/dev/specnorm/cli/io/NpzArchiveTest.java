package dev.specnorm.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.cli.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link NpzArchive} against archives {@code numpy.savez} and {@code savez_compressed} wrote. */
class NpzArchiveTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"npz/state_savez.npz", "npz/state_compressed.npz"})
    void readsStoredAndDeflatedArchives(String fixture) throws IOException {
        Map<String, NpyArray> arrays = NpzArchive.read(Fixtures.path(fixture), "u", "v");
        assertArrayEquals(new int[] {2, 3}, arrays.get("u").shape());
        assertArrayEquals(new int[] {2, 4}, arrays.get("v").shape());
        assertArrayEquals(FixturePattern.values(6), arrays.get("u").data());
        float[] v = FixturePattern.values(8);
        for (int i = 0; i < v.length; i++) {
            v[i] *= 2;
        }
        assertArrayEquals(v, arrays.get("v").data());
    }

    @Test
    void writesWhatItReads() throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("u", NpyArray.ofFloat32(new int[] {1, 3}, new float[] {1, 2, 3}));
        arrays.put("v", NpyArray.ofFloat32(new int[] {1, 2}, new float[] {-1, 0.5f}));
        Path file = dir.resolve("state.npz");
        try (OutputStream out = Files.newOutputStream(file)) {
            NpzArchive.write(arrays, out);
        }
        Map<String, NpyArray> back = NpzArchive.read(file, "u", "v");
        assertArrayEquals(new float[] {1, 2, 3}, back.get("u").data());
        assertArrayEquals(new int[] {1, 2}, back.get("v").shape());
    }

    @Test
    void missingArrayAndNonZipFilesAreFormatErrors() throws IOException {
        NpyFormatException missing = assertThrows(
                NpyFormatException.class, () -> NpzArchive.read(Fixtures.path("npz/state_savez.npz"), "u", "w"));
        assertTrue(missing.getMessage().contains("no array 'w'"), missing.getMessage());
        Path notZip = Files.write(dir.resolve("state.npz"), "not a zip".getBytes(StandardCharsets.UTF_8));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpzArchive.read(notZip, "u"));
        assertTrue(e.getMessage().startsWith(notZip + ": is not a valid .npz"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
