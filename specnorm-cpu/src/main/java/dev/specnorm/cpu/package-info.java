/**
 * The pure-Java CPU backend of specnorm: {@link dev.specnorm.cpu.CpuEngine} implements every operation of
 * SPEC.md (exact SVD, Lanczos, power iteration, spectral normalization, the spectral-norm regularizer and
 * the orthogonality penalties) on heap float32 data with no native code, and
 * {@link dev.specnorm.cpu.AccuracyCheck} compares any backend's σ̂ with the exact σ.
 */
package dev.specnorm.cpu;
