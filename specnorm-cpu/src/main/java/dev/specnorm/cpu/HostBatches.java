package dev.specnorm.cpu;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.spi.FlatIndex;
import java.util.List;

/**
 * A list of operands (host {@link MatrixBatch}es or {@link CpuBuffer}s) seen as float arrays: matrix k of
 * the flattened list is {@code data(k)[offset(k) .. offset(k) + rows(k)·cols(k))}, row-major. Array-backed
 * batches and CPU buffers are used in place; other buffers (direct, read-only) are copied in bulk into
 * staging arrays when read, and written back in bulk by {@link #flush()} when they are outputs.
 */
final class HostBatches implements CpuThreads.Work, AutoCloseable {

    private final List<? extends Matrices> sources;
    private final float[][] data;
    private final int[] offsets;
    private final FlatIndex index;
    private final boolean[] staged;
    private final Staging staging;
    private boolean[] alone;

    private HostBatches(List<? extends Matrices> sources, Staging staging, boolean read) {
        int batches = sources.size();
        this.sources = sources;
        this.staging = staging;
        data = new float[batches][];
        offsets = new int[batches];
        index = FlatIndex.of(sources);
        staged = new boolean[batches];
        alone = new boolean[batches];
        for (int l = 0; l < batches; l++) {
            Matrices m = sources.get(l);
            if (m instanceof CpuBuffer buffer) {
                data[l] = buffer.data();
            } else {
                MatrixBatch batch = (MatrixBatch) m;
                if (batch.hasArray() && batch.isWritable()) {
                    data[l] = batch.array();
                    offsets[l] = batch.arrayOffset();
                } else {
                    int count = index.shape(l).elementCount();
                    data[l] = staging.borrow(count);
                    staged[l] = true;
                    if (read) {
                        batch.buffer().get(data[l], 0, count);
                    }
                }
            }
        }
    }

    /** The operands of a call, readable. */
    static HostBatches read(List<? extends Matrices> operands, Staging staging) {
        return new HostBatches(operands, staging, true);
    }

    /** The outputs of a call, to be written and then {@link #flush() flushed}. */
    static HostBatches write(List<? extends Matrices> outputs, Staging staging) {
        return new HostBatches(outputs, staging, false);
    }

    /**
     * Marks the matrices processed alone: a batch whose matrices hold at least
     * {@link CpuThreads#SPLIT_ELEMENTS} elements, when the list holds fewer than 2·threads such matrices
     * (more are better served in parallel, one per thread).
     */
    HostBatches planAlone(int threads) {
        if (threads > 1) {
            long large = 0;
            for (int l = 0; l < index.batches(); l++) {
                BatchShape s = index.shape(l);
                if (s.matrixSize() >= CpuThreads.SPLIT_ELEMENTS) {
                    large += s.batch();
                }
            }
            if (large < 2L * threads) {
                for (int l = 0; l < index.batches(); l++) {
                    alone[l] = index.shape(l).matrixSize() >= CpuThreads.SPLIT_ELEMENTS;
                }
            }
        }
        return this;
    }

    @Override
    public int count() {
        return index.count();
    }

    @Override
    public boolean alone(int k) {
        return alone[batchOf(k)];
    }

    /** The batch of the list matrix k belongs to. */
    int batchOf(int k) {
        return index.batchOf(k);
    }

    float[] data(int k) {
        return data[batchOf(k)];
    }

    int offset(int k) {
        return offsets[index.batchOf(k)] + (int) index.offsetInBatch(k);
    }

    int rows(int k) {
        return index.rows(k);
    }

    int cols(int k) {
        return index.cols(k);
    }

    /** Writes staged outputs back to their buffers. */
    void flush() {
        for (int l = 0; l < index.batches(); l++) {
            if (staged[l]) {
                ((MatrixBatch) sources.get(l))
                        .buffer()
                        .put(data[l], 0, index.shape(l).elementCount());
            }
        }
    }

    /** Returns the staging arrays. */
    @Override
    public void close() {
        for (int l = 0; l < index.batches(); l++) {
            if (staged[l]) {
                staging.giveBack(data[l]);
                staged[l] = false;
            }
        }
    }
}
