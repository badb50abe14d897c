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

    private final Staging staging;
    private List<? extends Matrices> sources;
    private FlatIndex index;
    private float[][] data = new float[0][];
    private int[] offsets = new int[0];
    private boolean[] staged = new boolean[0];
    private boolean[] alone = new boolean[0];

    /** Batches to be bound to a list by {@link #reuse}; borrowing staging arrays from {@code staging}. */
    HostBatches(Staging staging) {
        this.staging = staging;
    }

    /**
     * Binds these batches to {@code operands}, readable, for one call (closed afterwards): the index and
     * the per-batch arrays are kept when the list has the same shapes as the last one, so a call on the
     * same operands allocates nothing here.
     */
    HostBatches reuse(List<? extends Matrices> operands) {
        return bind(operands, true);
    }

    /** As {@link #reuse}, for outputs: not read, to be written and then {@link #flush() flushed}. */
    HostBatches reuseForOutput(List<? extends Matrices> outputs) {
        return bind(outputs, false);
    }

    private HostBatches bind(List<? extends Matrices> operands, boolean read) {
        int batches = operands.size();
        if (!sameShapes(operands)) {
            index = FlatIndex.of(operands);
            if (data.length != batches) {
                data = new float[batches][];
                offsets = new int[batches];
                staged = new boolean[batches];
                alone = new boolean[batches];
            }
        }
        sources = operands;
        for (int l = 0; l < batches; l++) {
            offsets[l] = 0;
            alone[l] = false;
            staged[l] = false;
            Matrices m = operands.get(l);
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
        return this;
    }

    private boolean sameShapes(List<? extends Matrices> operands) {
        if (index == null || index.batches() != operands.size()) {
            return false;
        }
        for (int l = 0; l < operands.size(); l++) {
            if (!index.shape(l).equals(operands.get(l).shape())) {
                return false;
            }
        }
        return true;
    }

    /** The operands of a call, readable. */
    static HostBatches read(List<? extends Matrices> operands, Staging staging) {
        return new HostBatches(staging).bind(operands, true);
    }

    /** The outputs of a call, to be written and then {@link #flush() flushed}. */
    static HostBatches write(List<? extends Matrices> outputs, Staging staging) {
        return new HostBatches(staging).bind(outputs, false);
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

    /** Returns the staging arrays and drops the references to the operands (kept: the index, the arrays). */
    @Override
    public void close() {
        for (int l = 0; l < data.length; l++) {
            if (staged[l]) {
                staging.giveBack(data[l]);
                staged[l] = false;
            }
            data[l] = null;
        }
        sources = null;
    }
}
