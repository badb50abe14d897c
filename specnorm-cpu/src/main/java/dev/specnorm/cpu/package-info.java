/**
 * The CPU backend of specnorm: {@link CpuEngine} implements every operation of SPEC.md
 * (exact SVD, Lanczos, power iteration, spectral normalization, the spectral-norm regularizer and the
 * orthogonality penalties) on float32 data, with its matrix products either in Java row kernels or in the
 * bundled OpenBLAS ({@link NativeBlas}); the pure-Java path is always available.
 */
package dev.specnorm.cpu;
