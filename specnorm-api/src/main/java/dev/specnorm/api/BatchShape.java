package dev.specnorm.api;

import java.math.BigInteger;

/**
 * The shape of a matrix batch: {@code batch} matrices of {@code rows × cols}, stored row-major and
 * batch-major, element (b, i, j) at index {@code b·rows·cols + i·cols + j} (SPEC.md "Data layout").
 *
 * <p>Every dimension is at least 1 and the element count {@code batch·rows·cols} fits in an
 * {@code int} index, so any batch can be held in one Java array.
 *
 * @param batch number of matrices B
 * @param rows  rows m of each matrix (output units)
 * @param cols  columns n of each matrix
 */
public record BatchShape(int batch, int rows, int cols) {

    /**
     * Validates the dimensions.
     *
     * @throws IllegalArgumentException if a dimension is below 1 or the element count overflows an int
     */
    public BatchShape {
        requirePositive("batch", batch);
        requirePositive("rows", rows);
        requirePositive("cols", cols);
        long batchRows = (long) batch * rows;
        if (batchRows > Integer.MAX_VALUE || batchRows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + batch + "×" + rows + "×" + cols + " has "
                    + BigInteger.valueOf(batchRows).multiply(BigInteger.valueOf(cols))
                    + " elements, more than an int index can address (" + Integer.MAX_VALUE + ")");
        }
    }

    /** A single matrix: B = 1. */
    public static BatchShape matrix(int rows, int cols) {
        return new BatchShape(1, rows, cols);
    }

    /** Elements per matrix, m·n. */
    public int matrixSize() {
        return rows * cols;
    }

    /** Elements in the whole batch, B·m·n. */
    public int elementCount() {
        return batch * rows * cols;
    }

    /** r = min(m, n), the number of singular values of each matrix. */
    public int rank() {
        return Math.min(rows, cols);
    }

    /** Index of element (b, i, j). */
    public int index(int b, int i, int j) {
        return (b * rows + i) * cols + j;
    }

    @Override
    public String toString() {
        return batch + "×" + rows + "×" + cols;
    }

    static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
