package dev.specnorm.cpu;

import dev.specnorm.api.spi.ResultChecks;
import dev.specnorm.api.spi.SigmaEvidence;

/** {@link SigmaEvidence} over host arrays: W = w[wo .. wo + len), u = u[uo .. uo + ul), v = v[vo .. vo + vl). */
final class ArraySigmaEvidence implements SigmaEvidence {

    private final float[] w;
    private final int wo;
    private final int len;
    private final float[] u;
    private final int uo;
    private final int ul;
    private final float[] v;
    private final int vo;
    private final int vl;

    ArraySigmaEvidence(float[] w, int wo, int len, float[] u, int uo, int ul, float[] v, int vo, int vl) {
        this.w = w;
        this.wo = wo;
        this.len = len;
        this.u = u;
        this.uo = uo;
        this.ul = ul;
        this.v = v;
        this.vo = vo;
        this.vl = vl;
    }

    @Override
    public boolean inputIsFinite() {
        return ResultChecks.inputIsFinite(w, wo, len);
    }

    @Override
    public double frobeniusSquared() {
        return Vectors.dot(w, wo, w, wo, len);
    }

    @Override
    public double normU() {
        return Math.sqrt(Vectors.dot(u, uo, u, uo, ul));
    }

    @Override
    public double normV() {
        return Math.sqrt(Vectors.dot(v, vo, v, vo, vl));
    }
}
