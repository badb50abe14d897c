package dev.specnorm.cpu;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.spi.FlatIndex;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A list of operands (host {@link MatrixBatch}es or {@link CpuBuffer}s) seen as float arrays: matrix k of
 * the flattened list is {@code data(k)[offset(k) .. offset(k) + rows(k)·cols(k))}, row-major. Array-backed
 * batches and CPU buffers are used in place; other buffers (direct, read-only) are copied in bulk into
 * staging arrays when read, and written back in bulk by {@link #flush()} when they are outputs.
 *
 * <p>Bound {@link #reuseInPlace in place}, a direct buffer in native byte order (and writable, for an output)
 * is staged only when {@link #data} is first asked for one of its matrices (once per batch, by whichever
 * thread asks first); until then native code may use its memory directly ({@link #direct}).
 */
final class HostBatches implements CpuThreads.Work, AutoCloseable {

    private final Staging staging;
    private List<? extends Matrices> sources;
    private FlatIndex index;
    private float[][] data = new float[0][];
    private int[] offsets = new int[0];
    private boolean[] staged = new boolean[0];
    private boolean[] alone = new boolean[0];
    /** Batch l is a direct buffer, staged only when {@link #data} asks (in-place binding only). */
    private boolean[] deferred = new boolean[0];

    private boolean read;

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
        return bind(operands, true, false);
    }

    /** As {@link #reuse}, for outputs: not read, to be written and then {@link #flush() flushed}. */
    HostBatches reuseForOutput(List<? extends Matrices> outputs) {
        return bind(outputs, false, false);
    }

    /** As {@link #reuse}, direct native-order buffers left in place until {@link #data} asks for them. */
    HostBatches reuseInPlace(List<? extends Matrices> operands) {
        return bind(operands, true, true);
    }

    /** As {@link #reuseForOutput}, writable direct native-order buffers left in place until {@link #data} asks. */
    HostBatches reuseForOutputInPlace(List<? extends Matrices> outputs) {
        return bind(outputs, false, true);
    }

    private HostBatches bind(List<? extends Matrices> operands, boolean read, boolean inPlace) {
        int batches = operands.size();
        if (!sameShapes(operands)) {
            index = FlatIndex.of(operands);
            if (data.length != batches) {
                data = new float[batches][];
                offsets = new int[batches];
                staged = new boolean[batches];
                alone = new boolean[batches];
                deferred = new boolean[batches];
            }
        }
        sources = operands;
        this.read = read;
        for (int l = 0; l < batches; l++) {
            offsets[l] = 0;
            alone[l] = false;
            staged[l] = false;
            deferred[l] = false;
            Matrices m = operands.get(l);
            if (m instanceof CpuBuffer buffer) {
                data[l] = buffer.data();
            } else {
                MatrixBatch batch = (MatrixBatch) m;
                if (batch.hasArray() && batch.isWritable()) {
                    data[l] = batch.array();
                    offsets[l] = batch.arrayOffset();
                } else if (inPlace && usableInPlace(batch.buffer(), read)) {
                    data[l] = null;
                    deferred[l] = true;
                } else {
                    stage(l);
                }
            }
        }
        return this;
    }

    private static boolean usableInPlace(FloatBuffer buffer, boolean read) {
        return buffer.isDirect() && buffer.order() == ByteOrder.nativeOrder() && (read || !buffer.isReadOnly());
    }

    /** Copies batch l into a staging array (its contents, when read) and uses that array from now on. */
    private void stage(int l) {
        int count = index.shape(l).elementCount();
        data[l] = staging.borrow(count);
        staged[l] = true;
        if (read) {
            ((MatrixBatch) sources.get(l)).buffer().get(data[l], 0, count);
        }
    }

    /** {@link #data} of a deferred batch: staged by the first caller, under this object's lock. */
    private synchronized float[] stagedOnDemand(int l) {
        if (!staged[l]) {
            stage(l);
        }
        return data[l];
    }

    /**
     * The memory of matrix k in place: the batch's direct buffer (element 0 of the batch at index 0;
     * matrix k at {@link #directOffset}), or null when the batch is an array, or staged.
     */
    FloatBuffer direct(int k) {
        int l = batchOf(k);
        return deferred[l] && !stagedSnapshot(l) ? ((MatrixBatch) sources.get(l)).buffer() : null;
    }

    private synchronized boolean stagedSnapshot(int l) {
        return staged[l];
    }

    /** Where matrix k starts in {@link #direct}'s buffer. */
    int directOffset(int k) {
        return (int) index.offsetInBatch(k);
    }

    /**
     * Stages now every in-place batch of these outputs whose memory overlaps an in-place batch of
     * {@code inputs} (by the direct buffers' {@code address}es), so that nothing is written where something
     * still has to be read. Before the work starts.
     */
    HostBatches stageWhereOverlapping(HostBatches inputs, ToLongFunction<FloatBuffer> address) {
        for (int l = 0; l < index.batches(); l++) {
            if (deferred[l] && !staged[l]) {
                FloatBuffer out = ((MatrixBatch) sources.get(l)).buffer();
                long start = address.applyAsLong(out);
                long end = start + 4L * out.capacity();
                for (int i = 0; i < inputs.index.batches() && !staged[l]; i++) {
                    if (inputs.deferred[i]) {
                        FloatBuffer in = ((MatrixBatch) inputs.sources.get(i)).buffer();
                        long inStart = address.applyAsLong(in);
                        if (start < inStart + 4L * in.capacity() && inStart < end) {
                            stage(l);
                        }
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
        return new HostBatches(staging).reuse(operands);
    }

    /** The outputs of a call, to be written and then {@link #flush() flushed}. */
    static HostBatches write(List<? extends Matrices> outputs, Staging staging) {
        return new HostBatches(staging).reuseForOutput(outputs);
    }

    /**
     * Marks the matrices processed alone: a batch whose matrices hold at least
     * {@link CpuThreads#SPLIT_ELEMENTS} elements, when the list holds fewer than 2·threads such matrices
     * (more are better served in parallel, one per thread).
     */
    HostBatches planAlone(int threads) {
        return planAlone(threads, BatchShape::matrixSize);
    }

    /**
     * {@link #planAlone(int)}, and also every matrix of at least {@link CpuThreads#SPLIT_ELEMENTS} elements
     * whose {@code work} is more than 1/(2·threads) of the list's total: run on one thread among the others,
     * it would keep that thread busy after the rest are done.
     */
    HostBatches planAlone(int threads, ToLongFunction<BatchShape> work) {
        if (threads > 1) {
            long large = 0;
            double total = 0;
            for (int l = 0; l < index.batches(); l++) {
                BatchShape s = index.shape(l);
                if (s.matrixSize() >= CpuThreads.SPLIT_ELEMENTS) {
                    large += s.batch();
                }
                total += (double) s.batch() * work.applyAsLong(s);
            }
            for (int l = 0; l < index.batches(); l++) {
                BatchShape s = index.shape(l);
                alone[l] = s.matrixSize() >= CpuThreads.SPLIT_ELEMENTS
                        && (large < 2L * threads || 2.0 * threads * work.applyAsLong(s) > total);
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
        int l = batchOf(k);
        return deferred[l] ? stagedOnDemand(l) : data[l];
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
    synchronized void flush() {
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
    public synchronized void close() {
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
