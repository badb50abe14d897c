/**
 * The example GAN: {@link dev.specnorm.examples.gan.GanTrainer} trains an MLP GAN on
 * {@link dev.specnorm.examples.gan.GaussianMixture} with the discriminator held by a
 * {@link dev.specnorm.examples.gan.Constraint} that the library computes
 * ({@link dev.specnorm.examples.gan.ConstrainedWeights}); its building blocks are {@link dev.specnorm.examples.gan.DenseLayer},
 * {@link dev.specnorm.examples.gan.LeakyRelu}, {@link dev.specnorm.examples.gan.Convolution} (im2col) and
 * {@link dev.specnorm.examples.gan.Adam}, written in the example so that every spectral-norm, normalization
 * and penalty computation of the discriminator goes through the library; weights are float32 row-major
 * matrices in the library's layout ({@code FILTERS} for convolutions).
 */
package dev.specnorm.examples.gan;
