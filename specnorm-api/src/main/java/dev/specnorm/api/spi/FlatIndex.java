package dev.specnorm.api.spi;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Matrices;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The flattened numbering of the matrices of a list of batches: batch l of the list holds matrices
 * {@code first(l) .. first(l + 1) - 1}, and matrix k is matrix {@code k - first(batchOf(k))} of its batch,
 * whose entries start {@link #offsetInBatch(int)} floats into the batch's row-major B·m·n data. Results of
 * every operation are indexed this way.
 */
public final class FlatIndex {

    private final BatchShape[] shapes;
    private final int[] first;
    private final int[] batchOf;

    private FlatIndex(BatchShape[] shapes) {
        this.shapes = shapes;
        first = new int[shapes.length + 1];
        long count = 0;
        for (int l = 0; l < shapes.length; l++) {
            count += shapes[l].batch();
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the list holds " + count + " matrices, more than an int index");
            }
            first[l + 1] = (int) count;
        }
        batchOf = new int[(int) count];
        for (int l = 0; l < shapes.length; l++) {
            for (int k = first[l]; k < first[l + 1]; k++) {
                batchOf[k] = l;
            }
        }
    }

    /** The index of batches of {@code shapes}, in list order. */
    public static FlatIndex ofShapes(List<BatchShape> shapes) {
        Objects.requireNonNull(shapes, "shapes");
        BatchShape[] copy = new BatchShape[shapes.size()];
        for (int l = 0; l < copy.length; l++) {
            copy[l] = Objects.requireNonNull(shapes.get(l), "shapes[" + l + "]");
        }
        return new FlatIndex(copy);
    }

    /** The index of the batches of {@code operands}, in list order. */
    public static FlatIndex of(List<? extends Matrices> operands) {
        Objects.requireNonNull(operands, "operands");
        List<BatchShape> shapes = new ArrayList<>(operands.size());
        for (int l = 0; l < operands.size(); l++) {
            shapes.add(Objects.requireNonNull(operands.get(l), "operands[" + l + "]")
                    .shape());
        }
        return ofShapes(shapes);
    }

    /** Number of batches in the list. */
    public int batches() {
        return shapes.length;
    }

    /** Number of matrices in the flattened list. */
    public int count() {
        return batchOf.length;
    }

    /** The shape of batch {@code batch}. */
    public BatchShape shape(int batch) {
        return shapes[batch];
    }

    /** The first matrix of batch {@code batch}; {@code first(batches())} is {@link #count()}. */
    public int first(int batch) {
        return first[batch];
    }

    /** The batch matrix {@code k} belongs to. */
    public int batchOf(int k) {
        return batchOf[k];
    }

    /** The shape of the batch matrix {@code k} belongs to. */
    public BatchShape shapeOf(int k) {
        return shapes[batchOf[k]];
    }

    /** Rows m of matrix {@code k}. */
    public int rows(int k) {
        return shapeOf(k).rows();
    }

    /** Columns n of matrix {@code k}. */
    public int cols(int k) {
        return shapeOf(k).cols();
    }

    /** Where matrix {@code k} starts in its batch's data: (k − first(batchOf(k)))·m·n floats. */
    public long offsetInBatch(int k) {
        int l = batchOf[k];
        return (long) (k - first[l]) * shapes[l].matrixSize();
    }
}
