package dev.specnorm.api.testing;

/**
 * Where a test's operands live: a heap {@link dev.specnorm.api.MatrixBatch}, a batch wrapping a direct
 * {@link java.nio.FloatBuffer}, or a {@link dev.specnorm.api.BatchBuffer} of the backend under test
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
