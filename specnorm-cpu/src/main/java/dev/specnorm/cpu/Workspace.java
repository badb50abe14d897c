package dev.specnorm.cpu;

import java.util.Arrays;

/**
 * Reusable float work vectors of one participant, by slot; each grows to the largest length asked. Kernels
 * that run on every call (the power iteration) keep theirs from call to call ({@link PowerCalls}), so that
 * calls in the steady state allocate none. Not thread-safe: one kernel at a time uses an instance.
 */
final class Workspace {

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
