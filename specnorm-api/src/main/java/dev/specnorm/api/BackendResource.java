package dev.specnorm.api;

import java.util.Objects;

/**
 * Memory owned by a backend ({@link BatchBuffer}, {@link PowerState}): it names its backend, and closing
 * frees it once. Closing twice is harmless; any other use after close throws {@link IllegalStateException}.
 */
public abstract class BackendResource implements AutoCloseable {

    private final String backendName;
    private volatile boolean closed;

    /** For backends: a resource owned by backend {@code backendName}. */
    protected BackendResource(String backendName) {
        this.backendName = Objects.requireNonNull(backendName, "backendName");
    }

    /** The name of the backend that owns this resource. */
    public final String backendName() {
        return backendName;
    }

    /** Whether {@link #close()} has been called. */
    public final boolean isClosed() {
        return closed;
    }

    /** Frees the memory; idempotent. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Throws {@link IllegalStateException} if the resource is closed. */
    public final void requireOpen() {
        if (closed) {
            throw new IllegalStateException(describe() + " is closed");
        }
    }

    /** What the resource is, for messages: {@code buffer 1×64×576 of backend cpu}. */
    protected abstract String describe();

    @Override
    public String toString() {
        return describe() + (closed ? " (closed)" : "");
    }

    /** For backends: free the memory; called once. */
    protected abstract void release();
}
