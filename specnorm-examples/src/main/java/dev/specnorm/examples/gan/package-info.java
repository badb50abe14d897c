/**
 * The example GAN: {@link GanTrainer} trains an MLP GAN on
 * {@link GaussianMixture} with the discriminator held by a
 * {@link Constraint} that the library computes
 * ({@link ConstrainedWeights}); its building blocks are {@link DenseLayer},
 * {@link LeakyRelu}, {@link Convolution} (im2col) and
 * {@link Adam}, written in the example so that every spectral-norm, normalization
 * and penalty computation of the discriminator goes through the library; weights are float32 row-major
 * matrices in the library's layout ({@code FILTERS} for convolutions).
 */
package dev.specnorm.examples.gan;
