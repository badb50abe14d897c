package dev.specnorm.api.testing;

import dev.specnorm.api.PowerState;
import dev.specnorm.api.StateLayout;

/**
 * A test double of {@link PowerState}: the u and v vectors of {@code layout} in two host arrays, owned by
 * whatever backend name it is given (a fake engine's, or another backend's to be rejected as foreign); it
 * counts its releases.
 */
public final class ArrayPowerState extends PowerState {

    private final float[] u;
    private final float[] v;
    private int releases;

    /** Zero vectors of {@code layout}, owned by {@code backendName}. */
    public ArrayPowerState(StateLayout layout, String backendName) {
        super(layout, backendName);
        u = new float[layout.uSize()];
        v = new float[layout.vSize()];
    }

    /** How many times the state was released (closing twice releases once). */
    public int releases() {
        return releases;
    }

    @Override
    protected void read(float[] u, float[] v) {
        if (u != null) {
            System.arraycopy(this.u, 0, u, 0, u.length);
        }
        if (v != null) {
            System.arraycopy(this.v, 0, v, 0, v.length);
        }
    }

    @Override
    protected void write(float[] u, float[] v) {
        System.arraycopy(u, 0, this.u, 0, u.length);
        System.arraycopy(v, 0, this.v, 0, v.length);
    }

    @Override
    protected void release() {
        releases++;
    }
}
