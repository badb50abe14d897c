package dev.specnorm.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MatrixBatch}: views over arrays and buffers, direct buffers, stacking, element access. */
class MatrixBatchTest {

    private static float[] iota(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    @Test
    void wrapsTheArrayWithoutCopying() {
        float[] data = iota(24);
        MatrixBatch b = MatrixBatch.of(data, 2, 3, 4);
        assertEquals(new BatchShape(2, 3, 4), b.shape());
        assertEquals(1 * 12 + 2 * 4 + 3, b.get(1, 2, 3));
        data[5] = -1;
        assertEquals(-1, b.get(0, 1, 1), "a view sees the caller's writes");
        b.set(0, 0, 0, 9);
        assertEquals(9, data[0], "and the caller sees the batch's");
        assertTrue(b.hasArray());
        assertTupleEquals(data, b.array(), b.arrayOffset());
        assertTrue(b.isWritable());
        assertArrayEquals(data, b.toArray());
        MatrixBatch one = MatrixBatch.of(iota(6), 2, 3);
        assertEquals(BatchShape.matrix(2, 3), one.shape());
    }

    private static void assertTupleEquals(float[] expected, float[] array, int offset) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], array[offset + i]);
        }
    }

    @Test
    void rejectsWrongLengthsNamingTheArgument() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MatrixBatch.of(new float[23], 2, 3, 4));
        assertTrue(e.getMessage().contains("data") && e.getMessage().contains("24"), e.getMessage());
        assertThrows(NullPointerException.class, () -> MatrixBatch.of((float[]) null, 1, 1, 1));
        assertThrows(NullPointerException.class, () -> MatrixBatch.of((FloatBuffer) null, 1, 1, 1));
        IllegalArgumentException b =
                assertThrows(IllegalArgumentException.class, () -> MatrixBatch.of(FloatBuffer.allocate(5), 1, 2, 3));
        assertTrue(b.getMessage().contains("buffer"), b.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MatrixBatch.of(new float[0], 0, 1, 1));
        assertThrows(NullPointerException.class, () -> MatrixBatch.zeros(null));
    }

    @Test
    void directBuffersAreReadInPlaceFromTheirPosition() {
        FloatBuffer fb =
                ByteBuffer.allocateDirect(4 * 10).order(ByteOrder.nativeOrder()).asFloatBuffer();
        fb.put(iota(10)).position(4);
        MatrixBatch b = MatrixBatch.of(fb, 1, 2, 3);
        assertFalse(b.hasArray());
        assertThrows(UnsupportedOperationException.class, b::array);
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9}, b.toArray());
        fb.put(4, -4);
        assertEquals(-4, b.get(0, 0, 0), "a view of the caller's direct memory");
        assertEquals(4, fb.position(), "the caller's buffer position is not moved");
        assertTrue(b.toString().contains("direct"));
        assertEquals(0, b.buffer().position());
        assertEquals(6, b.buffer().remaining());
    }

    @Test
    void readOnlyBuffersAreNotWritable() {
        MatrixBatch b = MatrixBatch.of(FloatBuffer.wrap(iota(6)).asReadOnlyBuffer(), 1, 2, 3);
        assertFalse(b.isWritable());
        assertArrayEquals(iota(6), b.toArray());
    }

    @Test
    void matrixIsAViewOfOneMatrix() {
        float[] data = iota(24);
        MatrixBatch m = MatrixBatch.of(data, 2, 3, 4).matrix(1);
        assertEquals(BatchShape.matrix(3, 4), m.shape());
        assertEquals(12, m.get(0, 0, 0));
        m.set(0, 0, 1, -2);
        assertEquals(-2, data[13]);
        assertThrows(
                IndexOutOfBoundsException.class,
                () -> MatrixBatch.of(data, 2, 3, 4).matrix(2));
    }

    @Test
    void elementAccessChecksEveryIndex() {
        MatrixBatch b = MatrixBatch.zeros(new BatchShape(2, 3, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> b.get(2, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> b.get(0, 3, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> b.get(0, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> b.set(0, -1, 0, 1));
    }

    @Test
    void stackCopiesMatricesOfOneShape() {
        float[] a = iota(6);
        MatrixBatch s = MatrixBatch.stack(List.of(MatrixBatch.of(a, 2, 3), MatrixBatch.of(iota(12), 2, 2, 3)));
        assertEquals(new BatchShape(3, 2, 3), s.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, s.toArray());
        a[0] = 99;
        assertEquals(0, s.get(0, 0, 0), "stack copies");
    }

    @Test
    void stackRejectsMixedShapesAndEmptyLists() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> MatrixBatch.stack(List.of(
                        MatrixBatch.zeros(BatchShape.matrix(2, 3)), MatrixBatch.zeros(BatchShape.matrix(3, 2)))));
        assertTrue(e.getMessage().contains("batches[1]") && e.getMessage().contains("list of batches"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MatrixBatch.stack(List.of()));
        assertThrows(NullPointerException.class, () -> MatrixBatch.stack(null));
    }
}
