package dev.specnorm.api.spi;

/**
 * What the σ̂ checks of a call ({@link ResultChecks#checkSigmas}) may need to know about its matrix k, asked
 * only when a check needs it: whether W's entries are all finite (a non-finite σ̂ is bad input, else
 * overflow), and ‖W‖²_F, ‖u‖₂, ‖v‖₂ of the stored leading vectors for the rounding bound of an evaluated
 * σ̂ that came out negative. An engine implements it once per call, over wherever it keeps W, u and v.
 */
public interface SigmaEvidence {

    /** Whether every entry of matrix k is finite. */
    boolean inputIsFinite(int k);

    /** ‖W‖²_F of matrix k. */
    double frobeniusSquared(int k);

    /** ‖u‖₂ of matrix k's stored leading u. */
    double normU(int k);

    /** ‖v‖₂ of matrix k's stored leading v. */
    double normV(int k);
}
