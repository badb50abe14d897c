package dev.specnorm.api;

import java.util.Objects;

/**
 * A matrix batch in memory owned by a backend: device memory for the CUDA backend, host memory for the
 * CPU backend. Keeping weights, gradients and workspaces in buffers avoids a host transfer per call.
 *
 * <p>A buffer is created by {@link SpectralBackend#allocate}, {@link SpectralBackend#upload} or
 * {@link SpectralBackend#wrapDevice}; it may be passed to operations of the backend that made it only.
 * Closing frees the memory (a wrapped device region stays the caller's); closing twice is harmless, any
 * other use after close throws {@link IllegalStateException}. A buffer belongs to one thread at a time.
 */
public abstract non-sealed class BatchBuffer extends BackendResource implements Matrices {

    private final BatchShape shape;

    /** For backends: a buffer of {@code shape} owned by backend {@code backendName}. */
    protected BatchBuffer(BatchShape shape, String backendName) {
        super(backendName);
        this.shape = Objects.requireNonNull(shape, "shape");
    }

    @Override
    public final BatchShape shape() {
        return shape;
    }

    /**
     * Copies a host batch of the same shape into this buffer.
     *
     * @throws IllegalArgumentException if the shapes differ
     * @throws IllegalStateException    if the buffer is closed
     */
    public final void copyFrom(MatrixBatch source) {
        requireSameShape("source", source);
        requireOpen();
        write(source);
    }

    /**
     * Copies this buffer into a writable host batch of the same shape.
     *
     * @throws IllegalArgumentException if the shapes differ or the destination is read-only
     * @throws IllegalStateException    if the buffer is closed
     */
    public final void copyTo(MatrixBatch destination) {
        requireSameShape("destination", destination);
        if (!destination.isWritable()) {
            throw new IllegalArgumentException("destination is read-only");
        }
        requireOpen();
        read(destination);
    }

    /** A new host batch holding a copy of this buffer. */
    public final MatrixBatch toHost() {
        MatrixBatch out = MatrixBatch.zeros(shape);
        copyTo(out);
        return out;
    }

    /** For backends: copy {@code source} (same shape, validated) into the buffer. */
    protected abstract void write(MatrixBatch source);

    /** For backends: copy the buffer into {@code destination} (same shape, writable, validated). */
    protected abstract void read(MatrixBatch destination);

    private void requireSameShape(String name, MatrixBatch batch) {
        Objects.requireNonNull(batch, name);
        if (!batch.shape().equals(shape)) {
            throw new IllegalArgumentException(name + " has shape " + batch.shape() + ", buffer has " + shape);
        }
    }

    @Override
    protected final String describe() {
        return "buffer " + shape + " of backend " + backendName();
    }
}
