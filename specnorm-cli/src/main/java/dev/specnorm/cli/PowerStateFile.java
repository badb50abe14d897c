package dev.specnorm.cli;

import dev.specnorm.api.BatchShape;
import dev.specnorm.cli.io.NpyArray;
import dev.specnorm.cli.io.NpyHeader;
import dev.specnorm.cli.io.NpzArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Power-iteration state in an {@code .npz} file, as NumPy writes it with {@code numpy.savez(FILE, u=u, v=v)}:
 * float32 {@code u} of shape (B, m) and {@code v} of shape (B, n) for a batch of B matrices of m×n. Saved
 * atomically ({@link OutputFiles}), so a failed command leaves the previous file untouched.
 */
final class PowerStateFile {

    private PowerStateFile() {}

    /**
     * The saved vectors for weights of {@code shape}.
     *
     * @throws InvalidInputException if the file is unreadable, malformed, or saved for other shapes
     */
    static PowerStart load(Path file, BatchShape shape) throws InvalidInputException {
        Map<String, NpyArray> arrays;
        try {
            arrays = NpzArchive.read(file, "u", "v");
        } catch (IOException e) {
            throw InvalidInputException.reading(file, e);
        }
        NpyArray u = arrays.get("u");
        NpyArray v = arrays.get("v");
        requireShape(file, "u", u, new int[] {shape.batch(), shape.rows()}, shape);
        requireShape(file, "v", v, new int[] {shape.batch(), shape.cols()}, shape);
        return PowerStart.imported(u.data(), v.data());
    }

    /** Whether a state file exists at {@code file} (then it is loaded rather than started fresh). */
    static boolean exists(Path file) {
        return Files.exists(file);
    }

    /** Saves u (B×m) and v (B×n) of weights of {@code shape} to {@code file}, atomically. */
    static void save(Path file, BatchShape shape, float[] u, float[] v) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("u", NpyArray.ofFloat32(new int[] {shape.batch(), shape.rows()}, u));
        arrays.put("v", NpyArray.ofFloat32(new int[] {shape.batch(), shape.cols()}, v));
        OutputFiles.write(file, out -> NpzArchive.write(arrays, out));
    }

    private static void requireShape(Path file, String name, NpyArray array, int[] expected, BatchShape weights)
            throws InvalidInputException {
        if (!Arrays.equals(array.shape(), expected)) {
            throw new InvalidInputException(file + ": state " + name + " has shape " + array.shapeText()
                    + ", weights of " + weights.batch() + "x" + weights.rows() + "x" + weights.cols() + " need "
                    + NpyHeader.formatShape(expected)
                    + " (was the state saved for other weights or another --reshape?)");
        }
    }
}
