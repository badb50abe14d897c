package dev.specnorm.cpu;

import dev.specnorm.api.StateLayout;
import dev.specnorm.api.spi.ResultChecks;
import dev.specnorm.api.spi.SigmaEvidence;

/**
 * {@link SigmaEvidence} for one call on the host: matrix k of {@code w}, and its stored vectors u, v at the
 * offsets of {@code layout}. One kept by each reusable call ({@link PowerCalls}, {@link BackwardCalls}) and
 * bound again for each call; it computes only what a check asks for. Used by one call at a time.
 */
final class HostSigmaEvidence implements SigmaEvidence {

    private final HostBatches w;
    private StateLayout layout;
    private float[] u;
    private float[] v;

    /** Evidence over {@code w}, to be {@link #bind bound} to a state before use. */
    HostSigmaEvidence(HostBatches w) {
        this.w = w;
    }

    /** Uses the stored vectors u, v laid out as {@code layout} (null, null, null: drops them). */
    HostSigmaEvidence bind(StateLayout layout, float[] u, float[] v) {
        this.layout = layout;
        this.u = u;
        this.v = v;
        return this;
    }

    @Override
    public boolean inputIsFinite(int k) {
        return ResultChecks.inputIsFinite(w.data(k), w.offset(k), w.rows(k) * w.cols(k));
    }

    @Override
    public double frobeniusSquared(int k) {
        return Vectors.dot(w.data(k), w.offset(k), w.data(k), w.offset(k), w.rows(k) * w.cols(k));
    }

    @Override
    public double normU(int k) {
        int o = layout.uOffset(k);
        return Math.sqrt(Vectors.dot(u, o, u, o, layout.uLength(k)));
    }

    @Override
    public double normV(int k) {
        int o = layout.vOffset(k);
        return Math.sqrt(Vectors.dot(v, o, v, o, layout.vLength(k)));
    }
}
