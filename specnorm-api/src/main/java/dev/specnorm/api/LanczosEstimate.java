package dev.specnorm.api;

/**
 * σ₁ of one matrix by Golub–Kahan–Lanczos bidiagonalization (SPEC.md "Lanczos").
 *
 * @param sigma         the top Ritz value σ̂₁ (a lower bound on σ₁ up to rounding)
 * @param residualBound the residual bound of the top Ritz pair, ‖W v̂ − σ̂ û‖ ≈ β_k |e_kᵀ y|, which bounds
 *                      the distance from σ̂₁ to some singular value of W
 * @param steps         Lanczos steps taken
 * @param converged     whether {@code residualBound ≤ tol·σ̂₁} was reached within the step limit
 */
public record LanczosEstimate(float sigma, double residualBound, int steps, boolean converged) {}
