package dev.specnorm.cpu;

import dev.specnorm.api.spi.ResultChecks;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The passes over one m×n float32 matrix W that the power iteration, spectral normalization and SRIP make:
 * W x, Wᵀy, both in one pass, scaling, ⟨G, W⟩ and rank-one/two updates. Bound to one matrix at a time;
 * owned by one participant. The rows are cut into {@link #blockCount} blocks fixed by the shape alone; a
 * pass that produces an n-vector (Wᵀy) or a scalar gives each block its own partial sum, added up
 * afterwards in block order. With row blocks the blocks are shared by the engine's threads, without them
 * they run one after another on the calling thread, so a result is the same bit for bit for any thread
 * count and whether or not the matrix was processed alone.
 *
 * <p>W x walks the blocks, and the rows in each block, from the last to the first, the other passes from the
 * first: the rows a pass read last are still in the cache when the next pass starts on them.
 *
 * <p>Each pass is a {@link CpuThreads.RowBody} of its own whose fields are that pass's arguments, set from
 * the method's parameters just before the pass runs; the per-block partial sums live in arrays of this
 * instance, reused from pass to pass, so a pass allocates nothing once they have grown to the matrix's
 * width (and the {@link CpuThreads.RowBlocks} it runs on keep their own state likewise).
 *
 * <p>W may also lie in a buffer ({@link #bindBuffer}: a direct buffer the caller passed). The products W x,
 * Wᵀy, their fusion and W x with ⟨G, W⟩ then stream it: each block copies a few rows at a time into a small array of its
 * own (a bulk read, kept in cache) and runs the same row kernels on the same groups of four rows, so the
 * result is that of W in an array, bit for bit, and W is read from memory once per pass, not copied whole
 * first; {@link #scaleBound} copies the rows into its output and scales them there, and {@link #isFinite}
 * reads the buffer. The other passes do not read W itself (their operands are passed in).
 */
final class MatrixPasses {

    /** The most blocks a pass is cut into (and so the most threads one matrix's pass uses). */
    static final int MAX_BLOCKS = 16;

    /** About how many floats of a buffered W a block streams at a time (32 KiB, within a core's L1 or L2). */
    static final int STREAM_FLOATS = 8192;

    /** Per-block partial sums of the pass running (block 0 adds into the result itself). */
    private final float[][] partials = new float[MAX_BLOCKS][];

    private CpuThreads.RowBlocks blocks;
    private final double[] blockSums = new double[MAX_BLOCKS];
    private int count;

    private float[] w;
    private int off;
    /** W in a buffer, at buffer[off + i·n + j], when bound by {@link #bindBuffer}; else null. */
    private FloatBuffer buffer;
    /** Per-block arrays that rows of {@link #buffer} are streamed through. */
    private final float[][] streamed = new float[MAX_BLOCKS][];
    /** Rows streamed at a time: a multiple of four, so the row kernels see the groups they would in an array. */
    private int chunkRows;

    private int m;
    private int n;

    private final Multiply multiply = new Multiply();
    private final Transposed transposed = new Transposed();
    private final Both both = new Both();
    private final Inner inner = new Inner();
    private final Scale scale = new Scale();
    private final Update update = new Update();
    private final ScaleStreamed scaleStreamed = new ScaleStreamed();

    /** Passes that run on the calling thread until {@link #useBlocks} says otherwise. */
    MatrixPasses() {}

    /** Splits the following passes with {@code blocks}, or runs them on the calling thread when null. */
    void useBlocks(CpuThreads.RowBlocks blocks) {
        this.blocks = blocks;
    }

    /**
     * Blocks of a pass over an m×n matrix: one per {@link CpuThreads#SPLIT_ELEMENTS} elements, at least 4
     * rows each, at most {@link #MAX_BLOCKS}.
     */
    static int blockCount(int m, int n) {
        long perElements = (long) m * n / CpuThreads.SPLIT_ELEMENTS;
        return (int) Math.max(1, Math.min(MAX_BLOCKS, Math.min(m / 4, perElements)));
    }

    /** The first row of block b of {@code count} over {@code rows} rows. */
    static int blockStart(int b, int count, int rows) {
        return (int) ((long) b * rows / count);
    }

    /** Drops the reference to the bound matrix (the passes keep no caller data between calls). */
    void unbind() {
        this.w = null;
        this.buffer = null;
    }

    /** Binds the passes to W = w[off .. off + m·n). */
    void bind(float[] w, int off, int m, int n) {
        this.w = w;
        this.buffer = null;
        this.off = off;
        shape(m, n);
    }

    /**
     * Binds the passes to W = buffer[off .. off + m·n), read with absolute bulk gets only (so the buffer's
     * position and limit do not matter, and other threads may read it too).
     */
    void bindBuffer(FloatBuffer buffer, int off, int m, int n) {
        this.w = null;
        this.buffer = buffer;
        this.off = off;
        shape(m, n);
        chunkRows = Math.max(4, STREAM_FLOATS / Math.max(n, 1) / 4 * 4);
        int length = Math.min(chunkRows, m) * n;
        for (int b = 0; b < count; b++) {
            if (streamed[b] == null || streamed[b].length < length) {
                streamed[b] = new float[length];
            }
        }
    }

    private void shape(int m, int n) {
        this.m = m;
        this.n = n;
        this.count = blockCount(m, n);
    }

    /**
     * Rows [i0, i1) of the buffered W copied to block b's array, which is returned; row i is then at
     * {@link #origin}(i0) + i·n of it, as the row kernels index W.
     */
    private float[] stream(int b, int i0, int i1) {
        float[] rows = streamed[b];
        buffer.get(off + i0 * n, rows, 0, (i1 - i0) * n);
        return rows;
    }

    /** The offset that places row i0 at element 0 of a streamed array. */
    private int origin(int i0) {
        return -i0 * n;
    }

    int rows() {
        return m;
    }

    int cols() {
        return n;
    }

    /** out[0..m) = W x. */
    void multiply(float[] x, float[] out) {
        multiply.x = x;
        multiply.out = out;
        run(multiply);
    }

    /** out[0..n) = Wᵀ y. */
    void multiplyTransposed(float[] y, float[] out) {
        transposed.y = y;
        prepareAccumulators(out);
        run(transposed);
        addPartials(out);
    }

    /** t[0..m) = W x and acc[0..n) = Wᵀ t, reading W once. */
    void multiplyBoth(float[] x, float[] t, float[] acc) {
        both.x = x;
        both.t = t;
        prepareAccumulators(acc);
        run(both);
        addPartials(acc);
    }

    /** t[0..m) = W x; returns ⟨G, W⟩ = Σ G_ij W_ij (float64), G stored like W at g[goff ..]. */
    double multiplyAndInner(float[] x, float[] t, float[] g, int goff) {
        inner.x = x;
        inner.t = t;
        inner.g = g;
        inner.goff = goff;
        run(inner);
        double total = 0;
        for (int b = 0; b < count; b++) {
            total += blockSums[b];
        }
        return total;
    }

    /** out[oo + i·n + j] = s·X_ij for an m×n X at x[xo ..] (W itself or another operand of its shape). */
    void scale(float[] x, int xo, float s, float[] out, int oo) {
        scale.x = x;
        scale.xo = xo;
        scale.s = s;
        scale.out = out;
        scale.oo = oo;
        run(scale);
    }

    /** out[oo + i·n + j] = s·W_ij for the bound W, in an array or streamed from a buffer. */
    void scaleBound(float s, float[] out, int oo) {
        if (buffer == null) {
            scale(w, off, s, out, oo);
            return;
        }
        scaleStreamed.s = s;
        scaleStreamed.out = out;
        scaleStreamed.oo = oo;
        run(scaleStreamed);
    }

    /** Whether every entry of the bound W is finite. */
    boolean isFinite() {
        if (buffer == null) {
            return ResultChecks.inputIsFinite(w, off, m * n);
        }
        for (int i = off; i < off + m * n; i++) {
            if (!Float.isFinite(buffer.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * out_ij = gs·G_ij + a_i·b_j + c_i·d_j (m×n, at out[oo ..]); G omitted when g is null, the second term
     * when c is null. W is not read.
     */
    void update(float[] g, int goff, float gs, float[] a, float[] b, float[] c, float[] d, float[] out, int oo) {
        update.g = g;
        update.goff = goff;
        update.gs = gs;
        update.a = a;
        update.b = b;
        update.c = c;
        update.d = d;
        update.out = out;
        update.oo = oo;
        run(update);
    }

    private void run(CpuThreads.RowBody body) {
        if (blocks == null || count == 1) {
            for (int b = 0; b < count; b++) {
                body.rows(b, blockStart(b, count, m), blockStart(b + 1, count, m));
            }
        } else {
            blocks.run(body, m, count);
        }
    }

    /** Grows the partial sums of blocks 1.. to n; block 0 adds into {@code result}. */
    private void prepareAccumulators(float[] result) {
        for (int k = 1; k < count; k++) {
            if (partials[k] == null || partials[k].length < n) {
                partials[k] = new float[n];
            }
        }
        partials[0] = result;
    }

    /** result += partials of blocks 1..count−1, in block order. */
    private void addPartials(float[] result) {
        for (int k = 1; k < count; k++) {
            float[] part = partials[k];
            for (int j = 0; j < n; j++) {
                result[j] += part[j];
            }
        }
        partials[0] = null;
    }

    /** The zeroed accumulator block {@code block} adds into: the pass's result itself for block 0. */
    private float[] accumulator(int block) {
        float[] a = partials[block];
        Arrays.fill(a, 0, n, 0f);
        return a;
    }

    private final class Multiply implements CpuThreads.RowBody {
        float[] x;
        float[] out;

        /** Block {@code block} of the reversed order, its rows in groups of four from the last group. */
        @Override
        public void rows(int block, int from, int to) {
            int b = count - 1 - block;
            int first = blockStart(b, count, m);
            int end = blockStart(b + 1, count, m);
            int tail = first + (end - first) / 4 * 4;
            if (buffer != null) {
                streamed(block, first, tail, end);
                return;
            }
            RowKernels.multiply(w, off, n, tail, end, x, out);
            for (int i = tail - 4; i >= first; i -= 4) {
                RowKernels.multiply(w, off, n, i, i + 4, x, out);
            }
        }

        /** The same from the buffer: the ragged rows, then chunks of whole groups from the last. */
        private void streamed(int block, int first, int tail, int end) {
            if (tail < end) {
                RowKernels.multiply(stream(block, tail, end), origin(tail), n, tail, end, x, out);
            }
            for (int i1 = tail; i1 > first; i1 -= chunkRows) {
                int i0 = Math.max(first, i1 - chunkRows);
                RowKernels.multiply(stream(block, i0, i1), origin(i0), n, i0, i1, x, out);
            }
        }
    }

    private final class Transposed implements CpuThreads.RowBody {
        float[] y;

        @Override
        public void rows(int block, int from, int to) {
            float[] acc = accumulator(block);
            if (buffer == null) {
                RowKernels.accumulateTransposed(w, off, n, from, to, y, acc);
                return;
            }
            for (int i0 = from; i0 < to; i0 += chunkRows) {
                int i1 = Math.min(to, i0 + chunkRows);
                RowKernels.accumulateTransposed(stream(block, i0, i1), origin(i0), n, i0, i1, y, acc);
            }
        }
    }

    private final class Both implements CpuThreads.RowBody {
        float[] x;
        float[] t;

        @Override
        public void rows(int block, int from, int to) {
            float[] acc = accumulator(block);
            if (buffer == null) {
                RowKernels.multiplyAccumulate(w, off, n, from, to, x, t, acc);
                return;
            }
            for (int i0 = from; i0 < to; i0 += chunkRows) {
                int i1 = Math.min(to, i0 + chunkRows);
                RowKernels.multiplyAccumulate(stream(block, i0, i1), origin(i0), n, i0, i1, x, t, acc);
            }
        }
    }

    private final class Inner implements CpuThreads.RowBody {
        float[] x;
        float[] t;
        float[] g;
        int goff;

        @Override
        public void rows(int block, int from, int to) {
            if (buffer == null) {
                blockSums[block] = RowKernels.multiplyAndInner(w, off, n, from, to, x, t, g, goff, 0);
                return;
            }
            double inner = 0;
            for (int i0 = from; i0 < to; i0 += chunkRows) {
                int i1 = Math.min(to, i0 + chunkRows);
                inner = RowKernels.multiplyAndInner(stream(block, i0, i1), origin(i0), n, i0, i1, x, t, g, goff, inner);
            }
            blockSums[block] = inner;
        }
    }

    private final class Scale implements CpuThreads.RowBody {
        float[] x;
        int xo;
        float s;
        float[] out;
        int oo;

        @Override
        public void rows(int block, int from, int to) {
            RowKernels.scale(x, xo, n, from, to, s, out, oo);
        }
    }

    /** Block rows of the buffered W copied into out, then scaled there: the products of {@link RowKernels#scale}. */
    private final class ScaleStreamed implements CpuThreads.RowBody {
        float s;
        float[] out;
        int oo;

        @Override
        public void rows(int block, int from, int to) {
            int at = oo + from * n;
            int len = (to - from) * n;
            buffer.get(off + from * n, out, at, len);
            for (int k = at; k < at + len; k++) {
                out[k] *= s;
            }
        }
    }

    private final class Update implements CpuThreads.RowBody {
        float[] g;
        int goff;
        float gs;
        float[] a;
        float[] b;
        float[] c;
        float[] d;
        float[] out;
        int oo;

        @Override
        public void rows(int block, int from, int to) {
            RowKernels.update(g, goff, gs, a, b, c, d, n, from, to, out, oo);
        }
    }
}
