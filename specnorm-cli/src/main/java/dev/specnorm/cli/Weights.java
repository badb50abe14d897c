package dev.specnorm.cli;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.cli.io.NpyArray;
import dev.specnorm.cli.io.NpyHeader;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Weights read from an {@code .npy} file and the matrix batch they became: a 2-D array is one matrix,
 * a 3-D array a batch, a 4-D array convolution weights in a {@link ConvolutionReshape}. Results of the
 * batch's shape go back to the file's layout with {@link #toFileLayout}.
 */
public final class Weights {

    private final Path file;
    private final int[] fileShape;
    private final ConvolutionReshape reshape;
    private final MatrixBatch batch;

    private Weights(Path file, int[] fileShape, ConvolutionReshape reshape, MatrixBatch batch) {
        this.file = file;
        this.fileShape = fileShape;
        this.reshape = reshape;
        this.batch = batch;
    }

    /**
     * The batch an array of rank 2, 3 or 4 stands for.
     *
     * @param reshape how a 4-D array is reshaped; ignored for ranks 2 and 3
     * @throws InvalidInputException if the rank is not 2, 3 or 4
     */
    public static Weights of(Path file, NpyArray array, ConvolutionReshape reshape) throws InvalidInputException {
        Objects.requireNonNull(reshape, "reshape");
        int[] s = array.shape();
        float[] data = array.data();
        try {
            return switch (array.rank()) {
                case 2 -> new Weights(file, s, null, MatrixBatch.of(data, s[0], s[1]));
                case 3 -> new Weights(file, s, null, MatrixBatch.of(data, s[0], s[1], s[2]));
                case 4 -> new Weights(file, s, reshape, reshape.toBatch(data, s[0], s[1], s[2], s[3]));
                default ->
                    throw new InvalidInputException(
                            file + ": array of shape " + array.shapeText() + " has rank " + array.rank()
                                    + "; expected 2 (a matrix), 3 (a batch of matrices) or 4 (convolution weights)");
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    file + ": shape " + array.shapeText() + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** The file the weights came from. */
    public Path file() {
        return file;
    }

    /** The array's shape in the file. */
    public int[] fileShape() {
        return fileShape.clone();
    }

    /** The reshape applied to a 4-D array, or null for ranks 2 and 3. */
    public ConvolutionReshape reshape() {
        return reshape;
    }

    /** The weights as a batch. */
    public MatrixBatch batch() {
        return batch;
    }

    /** The batch as the one-element list the operations take. */
    public List<MatrixBatch> asList() {
        return List.of(batch);
    }

    /** The batch's shape. */
    public BatchShape shape() {
        return batch.shape();
    }

    /**
     * Whether the batch stands for one matrix (a 2-D file, or a 4-D file reshaped to one matrix) rather than
     * a batch; results per matrix then drop the batch axis.
     */
    public boolean isSingleMatrix() {
        return fileShape.length == 2 || (reshape != null && reshape != ConvolutionReshape.SLICES);
    }

    /**
     * A result of the batch's shape (a normalized weight, a gradient) in the file's layout: the file's shape,
     * C order, a 4-D weight put back from its reshape.
     */
    public NpyArray toFileLayout(MatrixBatch result) {
        if (!result.shape().equals(batch.shape())) {
            throw new IllegalArgumentException("result has shape " + result.shape() + ", the weights " + batch.shape());
        }
        float[] data = reshape == null
                ? result.toArray()
                : reshape.toWeightLayout(result, fileShape[0], fileShape[1], fileShape[2], fileShape[3]);
        return NpyArray.ofFloat32(fileShape, data);
    }

    /** One line for text output, e.g. {@code conv.npy: shape (8, 4, 3, 3), filters reshape: 1 matrix of 8x36}. */
    public String describe() {
        BatchShape s = batch.shape();
        String reshaped = reshape == null ? "" : ", " + ReshapeConverter.nameOf(reshape) + " reshape";
        return file + ": shape " + shapeText() + reshaped + ": " + s.batch()
                + (s.batch() == 1 ? " matrix" : " matrices") + " of " + s.rows() + "x" + s.cols();
    }

    /** The file's shape as NumPy prints it. */
    public String shapeText() {
        return NpyHeader.formatShape(fileShape);
    }
}
