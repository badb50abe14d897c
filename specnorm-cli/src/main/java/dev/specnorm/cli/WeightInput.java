package dev.specnorm.cli;

import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.cli.io.NpyArray;
import dev.specnorm.cli.io.NpyReader;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code FILE} argument and {@code --reshape} of the commands that read weights. */
public final class WeightInput {

    @Parameters(
            index = "0",
            paramLabel = "FILE",
            description = "Weights as a NumPy .npy file of float32 or float64 (either byte order, C or Fortran "
                    + "order): 2-D is one matrix, 3-D a batch of matrices, 4-D convolution weights. Read, never "
                    + "modified.")
    Path file;

    @Option(
            names = "--reshape",
            order = 50,
            paramLabel = "HOW",
            converter = ReshapeConverter.class,
            completionCandidates = ReshapeConverter.class,
            description = "How 4-D weights (d0, d1, kh, kw) become matrices: filters (default: one matrix of "
                    + "out x in*kh*kw, as PyTorch and SN-GAN), slices (out*in matrices of kh x kw) or "
                    + "transposed (a transposed convolution's (in, out, kh, kw): the first two dimensions are "
                    + "swapped, then filters). Ignored for 2-D and 3-D files.")
    ConvolutionReshape reshape;

    /** The input file. */
    public Path file() {
        return file;
    }

    /** The reshape given with {@code --reshape}, or null. */
    public ConvolutionReshape requestedReshape() {
        return reshape;
    }

    /**
     * Reads the file and reshapes it ({@code --reshape}, default {@code filters}).
     *
     * @throws InvalidInputException naming the file and the problem
     */
    public Weights load() throws InvalidInputException {
        return load(reshape == null ? ConvolutionReshape.FILTERS : reshape);
    }

    /** Reads the file and reshapes a 4-D array with {@code use}. */
    public Weights load(ConvolutionReshape use) throws InvalidInputException {
        return Weights.of(file, readArray(file), use);
    }

    /**
     * Reads an {@code .npy} file, turning every failure into an {@link InvalidInputException} that names it.
     */
    static NpyArray readArray(Path path) throws InvalidInputException {
        try {
            return NpyReader.read(path);
        } catch (IOException e) {
            throw InvalidInputException.reading(path, e);
        }
    }
}
