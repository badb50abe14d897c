package dev.specnorm.spark;

import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.cli.checkpoint.InspectOptions;
import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * {@link InspectOptions} and the backend name in a form Spark can ship to executors (InspectOptions itself is
 * not serializable); {@link #options()} gives back an equal InspectOptions.
 *
 * @param layers          the --layers regular expression, or null
 * @param reshape         how a 4-D weight becomes matrices
 * @param method          how σ₁ is computed
 * @param iterations      K, the power steps of σ̂
 * @param seed            seed of the start vectors
 * @param inputSize       n of the convolution norms' n×n input
 * @param void2IsBfloat16 whether NumPy '|V2' arrays hold bfloat16
 * @param spectra         how many of the largest layers get their full spectrum
 * @param backend         the backend asked for (auto, cpu, cuda)
 */
record InspectSettings(
        String layers,
        ConvolutionReshape reshape,
        InspectOptions.Method method,
        int iterations,
        long seed,
        int inputSize,
        boolean void2IsBfloat16,
        int spectra,
        String backend)
        implements Serializable {

    static InspectSettings of(InspectOptions o, String backend) {
        return new InspectSettings(
                o.layers() == null ? null : o.layers().pattern(),
                o.reshape(),
                o.method(),
                o.iterations(),
                o.seed(),
                o.inputSize(),
                o.void2IsBfloat16(),
                o.spectra(),
                backend);
    }

    InspectOptions options() {
        return new InspectOptions(
                layers == null ? null : Pattern.compile(layers),
                reshape,
                method,
                iterations,
                seed,
                inputSize,
                void2IsBfloat16,
                spectra);
    }
}
