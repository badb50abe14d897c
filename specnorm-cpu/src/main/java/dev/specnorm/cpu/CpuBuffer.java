package dev.specnorm.cpu;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;

/**
 * A matrix batch held by the CPU backend in a heap {@code float[]} of B·m·n elements, row-major and
 * batch-major (SPEC.md "Data layout"): element (b, i, j) at {@code b·m·n + i·n + j}. The engine computes
 * on it in place. Belongs to one thread at a time.
 */
public final class CpuBuffer extends BatchBuffer {

    private float[] data;

    CpuBuffer(BatchShape shape, String backendName) {
        super(shape, backendName);
        this.data = new float[shape.elementCount()];
    }

    /** The backing array. */
    float[] data() {
        requireOpen();
        return data;
    }

    @Override
    protected void write(MatrixBatch source) {
        source.buffer().get(data, 0, data.length);
    }

    @Override
    protected void read(MatrixBatch destination) {
        destination.buffer().put(data, 0, data.length);
    }

    @Override
    protected void release() {
        data = null;
    }
}
