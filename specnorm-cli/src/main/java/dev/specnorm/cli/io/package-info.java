/**
 * Reading and writing NumPy {@code .npy} files and {@code .npz} archives of float32 and float64 arrays:
 * small, strict, and tested against files NumPy wrote.
 */
package dev.specnorm.cli.io;
