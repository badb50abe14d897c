package dev.specnorm.api.spi;

/**
 * What the σ̂ checks of one matrix ({@link ResultChecks#checkSigmas}) may need to know about it, asked only
 * when a check needs it: whether W's entries are all finite (a non-finite σ̂ is bad input, else overflow),
 * and ‖W‖²_F, ‖u‖₂, ‖v‖₂ of the stored leading vectors for the rounding bound of an evaluated σ̂ that came
 * out negative. An engine implements it over wherever it keeps W, u and v.
 */
public interface SigmaEvidence {

    /** Whether every entry of W is finite. */
    boolean inputIsFinite();

    /** ‖W‖²_F. */
    double frobeniusSquared();

    /** ‖u‖₂ of the stored leading u. */
    double normU();

    /** ‖v‖₂ of the stored leading v. */
    double normV();
}
