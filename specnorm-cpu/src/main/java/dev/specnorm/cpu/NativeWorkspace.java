package dev.specnorm.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * Off-heap float work arrays for {@link NativeBlas}, by slot, each aligned to 64 bytes and grown to the
 * largest length asked (contents then unspecified); plus LAPACK's integer workspace and the work sizes
 * LAPACK asked for per shape. One per participant or per call; the threads of one matrix's tasks use a
 * slot at once only through the absolute copies that {@link #shared} prepares, on disjoint parts;
 * {@link #close()} frees the memory.
 */
final class NativeWorkspace implements AutoCloseable {

    private static final int ALIGN_FLOATS = 16;

    private FloatPointer[] raw = new FloatPointer[0];
    private long[] shift = new long[0];
    private long[] length = new long[0];
    private FloatBuffer[] views = new FloatBuffer[0];
    private IntPointer ints;
    private final Map<Long, Integer> lwork = new HashMap<>();

    /** The float array of {@code slot}, at least {@code n} long, as a pointer to its first element. */
    FloatPointer floats(int slot, long n) {
        if (raw.length <= slot) {
            int size = slot + 1;
            raw = Arrays.copyOf(raw, size);
            shift = Arrays.copyOf(shift, size);
            length = Arrays.copyOf(length, size);
            views = Arrays.copyOf(views, size);
        }
        if (raw[slot] == null || length[slot] < n) {
            if (raw[slot] != null) {
                raw[slot].close();
            }
            long capacity = Math.max(n, 1);
            FloatPointer p = new FloatPointer(capacity + ALIGN_FLOATS);
            long misalignment = p.address() % (4L * ALIGN_FLOATS);
            shift[slot] = misalignment == 0 ? 0 : (4L * ALIGN_FLOATS - misalignment) / 4;
            raw[slot] = p;
            length[slot] = capacity;
            views[slot] = null;
        }
        return at(slot, 0);
    }

    /** A pointer to element {@code offset} of slot {@code slot} (allocated before). */
    FloatPointer at(int slot, long offset) {
        FloatPointer p = new FloatPointer(raw[slot]);
        p.position(shift[slot] + offset);
        return p;
    }

    private FloatBuffer view(int slot) {
        if (views[slot] == null) {
            FloatPointer p = new FloatPointer(raw[slot]);
            p.position(shift[slot]).limit(shift[slot] + length[slot]);
            views[slot] = p.asBuffer();
        }
        return views[slot];
    }

    /** Copies src[off .. off + n) into slot {@code slot} from its start (growing it to at least n). */
    void put(int slot, float[] src, int off, int n) {
        floats(slot, n);
        view(slot).put(0, src, off, n);
    }

    /** Copies the first n floats of slot {@code slot} into dst[off ..). */
    void get(int slot, float[] dst, int off, int n) {
        view(slot).get(0, dst, off, n);
    }

    /**
     * Makes slot {@code slot} (allocated before) ready for {@link #get(int, long, float[], int, int)} and
     * {@link #put(int, long, float[], int, int)} from several threads at once.
     */
    void shared(int slot) {
        view(slot);
    }

    /**
     * Copies n floats of slot {@code slot} from element {@code from} into dst[off ..). Threads may call this
     * at once, on disjoint parts of {@code dst}, after {@link #shared}: an absolute bulk read changes no
     * state of the buffer.
     */
    void get(int slot, long from, float[] dst, int off, int n) {
        view(slot).get(Math.toIntExact(from), dst, off, n);
    }

    /**
     * Copies src[off .. off + n) into slot {@code slot} (allocated before) from element {@code at}. Threads may
     * call this at once, on disjoint parts of the slot, after {@link #shared}: an absolute bulk write changes
     * no state of the buffer.
     */
    void put(int slot, long at, float[] src, int off, int n) {
        view(slot).put(Math.toIntExact(at), src, off, n);
    }

    /** LAPACK's integer workspace, at least {@code n} long. */
    IntPointer ints(long n) {
        if (ints == null || ints.capacity() < n) {
            if (ints != null) {
                ints.close();
            }
            ints = new IntPointer(Math.max(n, 1));
        }
        return ints;
    }

    /** The work size LAPACK asked for (job, rows, cols), or -1 when not yet queried. */
    int lwork(char job, int rows, int cols) {
        return lwork.getOrDefault(key(job, rows, cols), -1);
    }

    void setLwork(char job, int rows, int cols, int size) {
        lwork.put(key(job, rows, cols), size);
    }

    private static long key(char job, int rows, int cols) {
        return ((long) job << 56) ^ ((long) rows << 28) ^ cols;
    }

    @Override
    public void close() {
        for (FloatPointer p : raw) {
            if (p != null) {
                p.close();
            }
        }
        raw = new FloatPointer[0];
        shift = new long[0];
        length = new long[0];
        views = new FloatBuffer[0];
        if (ints != null) {
            ints.close();
            ints = null;
        }
    }
}
