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
public abstract class BatchBuffer implements Matrices, AutoCloseable {

    private final BatchShape shape;
    private final String backendName;
    private volatile boolean closed;

    /** For backends: a buffer of {@code shape} owned by backend {@code backendName}. */
    protected BatchBuffer(BatchShape shape, String backendName) {
        this.shape = Objects.requireNonNull(shape, "shape");
        this.backendName = Objects.requireNonNull(backendName, "backendName");
    }

    @Override
    public final BatchShape shape() {
        return shape;
    }

    /** The name of the backend that owns this buffer. */
    public final String backendName() {
        return backendName;
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

    /** Whether {@link #close()} has been called. */
    public final boolean isClosed() {
        return closed;
    }

    /** Frees the buffer's memory; idempotent. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /**
     * Throws {@link IllegalStateException} if the buffer is closed.
     */
    public final void requireOpen() {
        if (closed) {
            throw new IllegalStateException("buffer " + shape + " of backend " + backendName + " is closed");
        }
    }

    /** For backends: copy {@code source} (same shape, validated) into the buffer. */
    protected abstract void write(MatrixBatch source);

    /** For backends: copy the buffer into {@code destination} (same shape, writable, validated). */
    protected abstract void read(MatrixBatch destination);

    /** For backends: free the memory; called once. */
    protected abstract void release();

    private void requireSameShape(String name, MatrixBatch batch) {
        Objects.requireNonNull(batch, name);
        if (!batch.shape().equals(shape)) {
            throw new IllegalArgumentException(name + " has shape " + batch.shape() + ", buffer has " + shape);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + shape + ", " + backendName + (closed ? ", closed" : "") + "]";
    }
}
