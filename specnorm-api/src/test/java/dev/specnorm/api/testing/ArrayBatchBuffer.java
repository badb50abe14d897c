package dev.specnorm.api.testing;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;

/**
 * A test double of {@link BatchBuffer}: the batch in a host array, owned by whatever backend name it is
 * given (a fake engine's, or another backend's to be rejected as foreign); it counts its releases.
 */
public final class ArrayBatchBuffer extends BatchBuffer {

    private final float[] data;
    private int releases;

    /** A zero buffer of {@code shape}, owned by {@code backendName}. */
    public ArrayBatchBuffer(BatchShape shape, String backendName) {
        super(shape, backendName);
        data = new float[shape.elementCount()];
    }

    /** How many times the buffer was released (closing twice releases once). */
    public int releases() {
        return releases;
    }

    @Override
    protected void write(MatrixBatch source) {
        source.buffer().get(data);
    }

    @Override
    protected void read(MatrixBatch destination) {
        destination.buffer().put(data);
    }

    @Override
    protected void release() {
        releases++;
    }
}
