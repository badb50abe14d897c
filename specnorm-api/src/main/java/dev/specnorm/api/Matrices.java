package dev.specnorm.api;

/**
 * A batch of B float32 matrices of m×n wherever it lives: on the host ({@link MatrixBatch}) or in
 * memory owned by a backend ({@link BatchBuffer}). Every operation of {@link SpectralBackend} takes
 * either kind. These two are the only kinds: backends extend {@link BatchBuffer}.
 */
public sealed interface Matrices permits MatrixBatch, BatchBuffer {

    /** The batch's shape. */
    BatchShape shape();
}
