package dev.specnorm.api.testing;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.MatrixBatch;
import java.nio.FloatBuffer;

/**
 * Where a test's operands live: a heap {@link MatrixBatch}, a batch wrapping a direct
 * {@link FloatBuffer}, or a {@link BatchBuffer} of the backend under test
 * ({@code upload} for inputs, {@code allocate} for outputs). Every backend must give the same results for
 * all three.
 */
public enum Storage {
    /** A MatrixBatch over a float[]. */
    HOST,
    /** A MatrixBatch over a direct FloatBuffer (no accessible array). */
    DIRECT,
    /** Backend-owned buffers. */
    BUFFER
}
