package dev.specnorm.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Reusable heap arrays for operands that are not array-backed (direct or read-only {@code FloatBuffer}s):
 * such an operand is copied in bulk into a borrowed array, and an output is written back in bulk, so the
 * kernels always see {@code float[]}. Thread-safe; keeps at most {@value #KEEP} arrays between calls.
 */
final class Staging {

    private static final int KEEP = 4;

    private final List<float[]> free = new ArrayList<>();

    /** An array of at least {@code length} floats, contents unspecified. */
    synchronized float[] borrow(int length) {
        int best = -1;
        for (int i = 0; i < free.size(); i++) {
            float[] a = free.get(i);
            if (a.length >= length && (best < 0 || a.length < free.get(best).length)) {
                best = i;
            }
        }
        return best >= 0 ? free.remove(best) : new float[length];
    }

    /** Returns an array obtained from {@link #borrow}. */
    synchronized void giveBack(float[] array) {
        if (free.size() < KEEP) {
            free.add(array);
            return;
        }
        int smallest = 0;
        for (int i = 1; i < free.size(); i++) {
            if (free.get(i).length < free.get(smallest).length) {
                smallest = i;
            }
        }
        if (free.get(smallest).length < array.length) {
            free.set(smallest, array);
        }
    }

    /** How many arrays are kept for reuse: none until something was staged. */
    synchronized int kept() {
        return free.size();
    }

    /** Drops every kept array. */
    synchronized void clear() {
        free.clear();
    }
}
