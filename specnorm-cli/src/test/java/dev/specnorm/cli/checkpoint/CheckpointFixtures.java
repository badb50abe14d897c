package dev.specnorm.cli.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The checkpoint fixtures under {@code src/test/resources/checkpoints}, written by
 * {@code scripts/make-checkpoint-fixtures.py} with PyTorch and NumPy, and their float64 references.
 */
public final class CheckpointFixtures {

    private static JsonNode references;

    private CheckpointFixtures() {}

    /** The fixture {@code name} (e.g. {@code pt/mlp_f16.pt}) in place; read it, never write it. */
    public static Path path(String name) {
        URL url = CheckpointFixtures.class.getResource("/checkpoints/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name + "; run scripts/make-checkpoint-fixtures.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** references.json: file → tensor → {shape, values, sigma1, frobenius}. */
    public static synchronized JsonNode references() {
        if (references == null) {
            try {
                references = new ObjectMapper().readTree(path("references.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return references;
    }
}
