package dev.specnorm.examples.study;

import java.util.Arrays;
import java.util.Objects;

/**
 * A convolution layer to analyse: its weights (out, in, k, k) row-major, stride, zero padding and the side
 * of its square input.
 */
@SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString below use the arrays' contents
public record ConvLayerSpec(
        String name, float[] weight, int out, int in, int kernel, int stride, int padding, int inputSize) {

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvLayerSpec r
                && Objects.equals(name, r.name)
                && Arrays.equals(weight, r.weight)
                && out == r.out
                && in == r.in
                && kernel == r.kernel
                && stride == r.stride
                && padding == r.padding
                && inputSize == r.inputSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(weight), out, in, kernel, stride, padding, inputSize);
    }

    @Override
    public String toString() {
        return "ConvLayerSpec[name=" + name + ", weight=" + Arrays.toString(weight) + ", out=" + out + ", in=" + in
                + ", kernel=" + kernel + ", stride=" + stride + ", padding=" + padding + ", inputSize=" + inputSize
                + "]";
    }
}
