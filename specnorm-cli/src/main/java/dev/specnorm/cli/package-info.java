/**
 * The {@code specnorm} command line ({@link SpecnormCli}) and the runnable examples:
 * one class per command, the options they share, JSON and text output, atomic output files, and the
 * SN-GAN discriminator of {@code specnorm demo}. NumPy file IO is in {@link dev.specnorm.cli.io}.
 */
package dev.specnorm.cli;
