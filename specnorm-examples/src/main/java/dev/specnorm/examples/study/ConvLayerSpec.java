package dev.specnorm.examples.study;

/**
 * A convolution layer to analyse: its weights (out, in, k, k) row-major, stride, zero padding and the side
 * of its square input.
 */
public record ConvLayerSpec(
        String name, float[] weight, int out, int in, int kernel, int stride, int padding, int inputSize) {}
