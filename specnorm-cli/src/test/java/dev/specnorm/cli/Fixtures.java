package dev.specnorm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The NumPy-written fixtures under {@code src/test/resources/fixtures} (made by
 * {@code src/test/python/make_fixtures.py}) and the float64 references computed with them.
 */
public final class Fixtures {

    private static JsonNode references;

    private Fixtures() {}

    /** The fixture {@code name} (e.g. {@code read/r2_f4_le_c.npy}) in place; read it, never write it. */
    public static Path path(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name + "; run src/test/python/make_fixtures.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of fixture {@code name} in {@code directory}, with the same file name. */
    public static Path copy(String name, Path directory) {
        Path source = path(name);
        Path target = directory.resolve(source.getFileName().toString());
        try {
            return Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of fixture {@code name}. */
    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code cli/references.json}: NumPy float64 results for the command-line fixtures. */
    public static synchronized JsonNode references() {
        if (references == null) {
            try {
                references =
                        new ObjectMapper().readTree(path("cli/references.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return references;
    }

    /** A JSON array of numbers as doubles. */
    public static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
