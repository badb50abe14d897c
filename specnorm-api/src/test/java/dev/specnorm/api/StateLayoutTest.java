package dev.specnorm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link StateLayout}: offsets of exported state, matrix after matrix, for both operators and top-k. */
class StateLayoutTest {

    private static final List<BatchShape> SHAPES = List.of(new BatchShape(2, 3, 5), new BatchShape(1, 7, 4));

    @Test
    void matrixOperatorOffsets() {
        StateLayout l = StateLayout.of(SHAPES, StateLayout.Operator.MATRIX, 1);
        assertEquals(3, l.matrices());
        assertEquals(List.of(0, 0, 1), List.of(l.batchOf(0), l.batchOf(1), l.batchOf(2)));
        assertEquals(List.of(3, 3, 7), List.of(l.uLength(0), l.uLength(1), l.uLength(2)));
        assertEquals(List.of(5, 5, 4), List.of(l.vLength(0), l.vLength(1), l.vLength(2)));
        assertEquals(List.of(0, 3, 6, 13), List.of(l.uOffset(0), l.uOffset(1), l.uOffset(2), l.uOffset(3)));
        assertEquals(List.of(0, 5, 10, 14), List.of(l.vOffset(0), l.vOffset(1), l.vOffset(2), l.vOffset(3)));
        assertEquals(13, l.uSize());
        assertEquals(14, l.vSize());
    }

    @Test
    void gramOperatorUsesTheRank() {
        StateLayout l = StateLayout.of(SHAPES, StateLayout.Operator.GRAM, 1);
        assertEquals(List.of(3, 3, 4), List.of(l.uLength(0), l.uLength(1), l.uLength(2)));
        assertEquals(List.of(3, 3, 4), List.of(l.vLength(0), l.vLength(1), l.vLength(2)));
        assertEquals(10, l.uSize());
        assertEquals(10, l.vSize());
    }

    @Test
    void topKHoldsKVectorsPerMatrix() {
        StateLayout l = StateLayout.of(SHAPES, StateLayout.Operator.MATRIX, 3);
        assertEquals(List.of(0, 9, 18, 39), List.of(l.uOffset(0), l.uOffset(1), l.uOffset(2), l.uOffset(3)));
        assertEquals(3 * 14, l.vSize());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> StateLayout.of(SHAPES, StateLayout.Operator.MATRIX, 4));
        assertTrue(e.getMessage().contains("batch 0") && e.getMessage().contains("vectors"), e.getMessage());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> StateLayout.of(List.of(), StateLayout.Operator.MATRIX, 1));
        assertThrows(IllegalArgumentException.class, () -> StateLayout.of(SHAPES, StateLayout.Operator.MATRIX, 0));
        assertThrows(NullPointerException.class, () -> StateLayout.of(null, StateLayout.Operator.MATRIX, 1));
        assertThrows(NullPointerException.class, () -> StateLayout.of(SHAPES, null, 1));
        assertThrows(
                NullPointerException.class,
                () -> StateLayout.of(Arrays.asList(SHAPES.get(0), null), StateLayout.Operator.MATRIX, 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> StateLayout.of(
                        List.of(new BatchShape(40000, 40000, 1), new BatchShape(40000, 40000, 1)),
                        StateLayout.Operator.MATRIX,
                        1),
                "state beyond an int index");
    }

    @Test
    void requireMatchesNamesTheFirstDifference() {
        StateLayout l = StateLayout.of(SHAPES, StateLayout.Operator.MATRIX, 1);
        l.requireMatches(List.of(MatrixBatch.zeros(SHAPES.get(0)), MatrixBatch.zeros(SHAPES.get(1))));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> l.requireMatches(
                        List.of(MatrixBatch.zeros(SHAPES.get(0)), MatrixBatch.zeros(new BatchShape(1, 4, 7)))));
        assertTrue(e.getMessage().contains("weights[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> l.requireMatches(List.of(MatrixBatch.zeros(SHAPES.get(0)))));
    }

    @Test
    void equality() {
        assertEquals(
                StateLayout.of(SHAPES, StateLayout.Operator.MATRIX, 1),
                StateLayout.forWeights(
                        List.of(MatrixBatch.zeros(SHAPES.get(0)), MatrixBatch.zeros(SHAPES.get(1))),
                        StateLayout.Operator.MATRIX,
                        1));
        assertEquals(
                StateLayout.of(SHAPES, StateLayout.Operator.MATRIX, 1).hashCode(),
                StateLayout.of(SHAPES, StateLayout.Operator.MATRIX, 1).hashCode());
        assertNotEquals(
                StateLayout.of(SHAPES, StateLayout.Operator.MATRIX, 1),
                StateLayout.of(SHAPES, StateLayout.Operator.GRAM, 1));
        assertNotEquals(
                StateLayout.of(SHAPES, StateLayout.Operator.MATRIX, 1),
                StateLayout.of(SHAPES, StateLayout.Operator.MATRIX, 2));
    }
}
