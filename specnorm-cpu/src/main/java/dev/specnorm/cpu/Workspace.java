package dev.specnorm.cpu;

import java.util.Arrays;

/**
 * Reusable float work vectors of one participant, by slot; each grows to the largest length asked. Kernels
 * that run on every call (the power iteration) take theirs from {@link #ofThisThread()}, so that calls in
 * the steady state allocate none.
 */
final class Workspace {

    private static final ThreadLocal<Workspace> THREAD = ThreadLocal.withInitial(Workspace::new);

    /**
     * This thread's workspace, kept for the thread's lifetime (its vectors are as long as the largest matrix
     * side this thread has processed). Only one kernel at a time may use it: a kernel takes it at the start
     * of a matrix and is done with it when that matrix is.
     */
    static Workspace ofThisThread() {
        return THREAD.get();
    }

    private float[][] vectors = new float[0][];

    /** The vector of {@code slot}, at least {@code length} long, contents unspecified. */
    float[] vector(int slot, int length) {
        if (vectors.length <= slot) {
            vectors = Arrays.copyOf(vectors, slot + 1);
        }
        if (vectors[slot] == null || vectors[slot].length < length) {
            vectors[slot] = new float[length];
        }
        return vectors[slot];
    }
}
