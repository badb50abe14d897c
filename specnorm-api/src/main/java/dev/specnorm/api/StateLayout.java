package dev.specnorm.api;

import dev.specnorm.api.spi.FlatIndex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The shape of power-iteration state for a list of matrix batches: for every matrix (numbered by its
 * position in the flattened list) {@code vectors} left vectors u of length {@link #uLength(int)} and as
 * many right vectors v of length {@link #vLength(int)}.
 *
 * <p>Exported state is laid out matrix after matrix, each matrix's vectors row after row: for a single
 * batch of B matrices of m×n with one vector, u is B×m and v is B×n.
 */
public final class StateLayout {

    /** The operator whose top singular vectors the state tracks. */
    public enum Operator {
        /** W itself: u ∈ Rᵐ, v ∈ Rⁿ (spectral norm, normalization, regularizer, top-k). */
        MATRIX,
        /** G = the smaller Gram matrix minus I, r×r with r = min(m, n): u, v ∈ Rʳ (SRIP). */
        GRAM
    }

    private final List<BatchShape> shapes;
    private final Operator operator;
    private final int vectors;
    private final FlatIndex index;
    private final int[] uOffset;
    private final int[] vOffset;

    private StateLayout(List<BatchShape> shapes, Operator operator, int vectors) {
        this.shapes = shapes;
        this.operator = operator;
        this.vectors = vectors;
        index = FlatIndex.ofShapes(shapes);
        int count = index.count();
        uOffset = new int[count + 1];
        vOffset = new int[count + 1];
        long u = 0;
        long v = 0;
        for (int k = 0; k < count; k++) {
            uOffset[k] = checked(u);
            vOffset[k] = checked(v);
            u += (long) vectors * uLength(k);
            v += (long) vectors * vLength(k);
        }
        uOffset[count] = checked(u);
        vOffset[count] = checked(v);
    }

    /**
     * The layout for {@code shapes} (one entry per batch of the list).
     *
     * @throws IllegalArgumentException if shapes is empty, vectors &lt; 1, vectors exceeds some matrix's
     *                                  rank min(m, n), or the state would not fit in an int index
     */
    public static StateLayout of(List<BatchShape> shapes, Operator operator, int vectors) {
        Objects.requireNonNull(shapes, "shapes");
        Objects.requireNonNull(operator, "operator");
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("shapes must not be empty");
        }
        if (vectors < 1) {
            throw new IllegalArgumentException("vectors must be at least 1, got " + vectors);
        }
        List<BatchShape> copy = new ArrayList<>(shapes.size());
        for (int l = 0; l < shapes.size(); l++) {
            BatchShape s = Objects.requireNonNull(shapes.get(l), "shapes[" + l + "]");
            if (vectors > s.rank()) {
                throw new IllegalArgumentException("vectors = " + vectors + " exceeds the rank bound min(m, n) = "
                        + s.rank() + " of batch " + l + " (" + s + ")");
            }
            copy.add(s);
        }
        return new StateLayout(Collections.unmodifiableList(copy), operator, vectors);
    }

    /** The layout for the shapes of {@code weights}. */
    public static StateLayout forWeights(List<? extends Matrices> weights, Operator operator, int vectors) {
        Objects.requireNonNull(weights, "weights");
        List<BatchShape> shapes = new ArrayList<>(weights.size());
        for (int l = 0; l < weights.size(); l++) {
            shapes.add(
                    Objects.requireNonNull(weights.get(l), "weights[" + l + "]").shape());
        }
        return of(shapes, operator, vectors);
    }

    /** The shapes of the batches, in list order. */
    public List<BatchShape> shapes() {
        return shapes;
    }

    /** The operator the vectors belong to. */
    public Operator operator() {
        return operator;
    }

    /** Vectors per matrix: 1, or k for top-k. */
    public int vectors() {
        return vectors;
    }

    /** Total number of matrices in the list. */
    public int matrices() {
        return index.count();
    }

    /** Which batch of the list matrix {@code matrix} belongs to. */
    public int batchOf(int matrix) {
        return index.batchOf(matrix);
    }

    /** Length of each u vector of {@code matrix}. */
    public int uLength(int matrix) {
        BatchShape s = index.shapeOf(matrix);
        return operator == Operator.MATRIX ? s.rows() : s.rank();
    }

    /** Length of each v vector of {@code matrix}. */
    public int vLength(int matrix) {
        BatchShape s = index.shapeOf(matrix);
        return operator == Operator.MATRIX ? s.cols() : s.rank();
    }

    /** Offset of the first u vector of {@code matrix} in the exported u; {@code uOffset(matrices())} is the total. */
    public int uOffset(int matrix) {
        return uOffset[matrix];
    }

    /** Offset of the first v vector of {@code matrix} in the exported v; {@code vOffset(matrices())} is the total. */
    public int vOffset(int matrix) {
        return vOffset[matrix];
    }

    /** Total length of exported u. */
    public int uSize() {
        return uOffset[index.count()];
    }

    /** Total length of exported v. */
    public int vSize() {
        return vOffset[index.count()];
    }

    /**
     * Checks that {@code weights} have exactly the shapes this layout was made for.
     *
     * @throws IllegalArgumentException naming the first batch that differs
     */
    public void requireMatches(List<? extends Matrices> weights) {
        if (weights.size() != shapes.size()) {
            throw new IllegalArgumentException(
                    "state was made for " + shapes.size() + " batch(es), weights has " + weights.size());
        }
        for (int l = 0; l < shapes.size(); l++) {
            BatchShape actual = weights.get(l).shape();
            if (!actual.equals(shapes.get(l))) {
                throw new IllegalArgumentException("state does not match weights[" + l + "]: state was made for "
                        + shapes.get(l) + ", weights[" + l + "] is " + actual);
            }
        }
    }

    private static int checked(long size) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("power-iteration state of " + size + " floats overflows an int index");
        }
        return (int) size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateLayout other
                && other.operator == operator
                && other.vectors == vectors
                && other.shapes.equals(shapes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shapes, operator, vectors);
    }

    @Override
    public String toString() {
        return "StateLayout[" + operator + ", vectors=" + vectors + ", " + shapes + "]";
    }
}
