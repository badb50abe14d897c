/**
 * Convolution operator norms, CPU analysis code for accuracy studies (SPEC.md, "Convolution operator
 * norms"): the exact singular values of a circularly padded convolution (Sedghi, Gupta &amp; Long 2019), power
 * iteration on a zero-padded strided convolution operator (Gouk et al. 2021), and the bounds between these
 * and the σ of the reshaped kernel.
 */
package dev.specnorm.examples.conv;
