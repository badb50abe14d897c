package dev.specnorm.cpu;

import dev.specnorm.api.PowerState;
import dev.specnorm.api.StateLayout;

/**
 * Power-iteration state of the CPU backend: the u and v vectors of every matrix in heap arrays, laid out
 * as {@link StateLayout} says. An operation writes the new vectors into a second pair of arrays and swaps
 * the pairs only after every matrix succeeded, so a failed call leaves the state as it was and a
 * successful one copies nothing. Belongs to one caller at a time.
 */
public final class CpuPowerState extends PowerState {

    private float[] u;
    private float[] v;
    private float[] nextU;
    private float[] nextV;

    CpuPowerState(StateLayout layout, String backendName, float[] u, float[] v) {
        super(layout, backendName);
        this.u = u.clone();
        this.v = v.clone();
    }

    /** The committed u vectors (read by operations, not to be written). */
    float[] u() {
        return u;
    }

    /** The committed v vectors. */
    float[] v() {
        return v;
    }

    /** The arrays the next u vectors are written to; committed by {@link #commit()}. */
    float[] nextU() {
        if (nextU == null) {
            nextU = new float[u.length];
        }
        return nextU;
    }

    /** The arrays the next v vectors are written to. */
    float[] nextV() {
        if (nextV == null) {
            nextV = new float[v.length];
        }
        return nextV;
    }

    /** Makes the next vectors current (every matrix's segment of them must have been written). */
    void commit() {
        float[] a = u;
        u = nextU;
        nextU = a;
        float[] b = v;
        v = nextV;
        nextV = b;
    }

    @Override
    protected void read(float[] uOut, float[] vOut) {
        if (uOut != null) {
            System.arraycopy(u, 0, uOut, 0, u.length);
        }
        if (vOut != null) {
            System.arraycopy(v, 0, vOut, 0, v.length);
        }
    }

    @Override
    protected void write(float[] uIn, float[] vIn) {
        System.arraycopy(uIn, 0, u, 0, u.length);
        System.arraycopy(vIn, 0, v, 0, v.length);
    }

    @Override
    protected void release() {
        u = null;
        v = null;
        nextU = null;
        nextV = null;
    }
}
