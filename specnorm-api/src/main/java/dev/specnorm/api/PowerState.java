package dev.specnorm.api;

import java.util.Objects;

/**
 * Persistent power-iteration state: the vectors u and v of every matrix of a list of batches
 * (SPEC.md "Power iteration"), kept by the backend where it computes (on the GPU for the CUDA backend).
 *
 * <p>Created by {@link SpectralBackend#newPowerState} (seeded initialization and warm-up) or
 * {@link SpectralBackend#importPowerState} (a checkpoint), advanced by the operations that take it, and
 * exported with {@link #exportU()} and {@link #exportV()} to checkpoint a training run. Layout:
 * {@link StateLayout}. A state belongs to one caller at a time: it is not thread-safe. An operation
 * that fails leaves the state as it was. Closing frees its memory; closing twice is harmless.
 */
public abstract class PowerState extends BackendResource {

    private final StateLayout layout;

    /** For backends: state of {@code layout} owned by backend {@code backendName}. */
    protected PowerState(StateLayout layout, String backendName) {
        super(backendName);
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    /** The shapes this state was made for. */
    public final StateLayout layout() {
        return layout;
    }

    /** A copy of every u vector, laid out as {@link StateLayout} says. */
    public final float[] exportU() {
        requireOpen();
        float[] u = new float[layout.uSize()];
        read(u, null);
        return u;
    }

    /** A copy of every v vector, laid out as {@link StateLayout} says. */
    public final float[] exportV() {
        requireOpen();
        float[] v = new float[layout.vSize()];
        read(null, v);
        return v;
    }

    /**
     * Replaces the vectors with {@code u} and {@code v} (for example a checkpoint).
     *
     * @throws IllegalArgumentException if a length differs from the layout's or a value is not finite;
     *                                  then the state is unchanged
     */
    public final void importVectors(float[] u, float[] v) {
        requireOpen();
        requireVector("u", u, layout.uSize());
        requireVector("v", v, layout.vSize());
        write(u, v);
    }

    /** For backends: copy the vectors into {@code u} and/or {@code v} (either may be null). */
    protected abstract void read(float[] u, float[] v);

    /** For backends: replace the vectors with {@code u} and {@code v} (validated). */
    protected abstract void write(float[] u, float[] v);

    private static void requireVector(String name, float[] x, int length) {
        Objects.requireNonNull(x, name);
        if (x.length != length) {
            throw new IllegalArgumentException(
                    name + " holds " + x.length + " floats, the state layout needs " + length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + x[i] + " is not finite");
            }
        }
    }

    @Override
    protected final String describe() {
        return "power-iteration state " + layout + " of backend " + backendName();
    }
}
