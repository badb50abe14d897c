package dev.specnorm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link BatchShape}: positive dimensions, element counts that fit an int index, the layout of SPEC.md. */
class BatchShapeTest {

    @Test
    void layoutIsBatchMajorRowMajor() {
        BatchShape s = new BatchShape(3, 4, 5);
        assertEquals(20, s.matrixSize());
        assertEquals(60, s.elementCount());
        assertEquals(4, s.rank());
        assertEquals(2 * 20 + 3 * 5 + 4, s.index(2, 3, 4));
        assertEquals(new BatchShape(1, 7, 2), BatchShape.matrix(7, 2));
        assertEquals(2, BatchShape.matrix(7, 2).rank());
        assertEquals("3×4×5", s.toString());
    }

    @Test
    void rejectsDimensionsBelowOneNamingThem() {
        for (String name : new String[] {"batch", "rows", "cols"}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new BatchShape(
                            name.equals("batch") ? 0 : 1, name.equals("rows") ? -3 : 1, name.equals("cols") ? 0 : 1));
            assertTrue(e.getMessage().startsWith(name), e.getMessage());
        }
    }

    @Test
    void rejectsElementCountsBeyondAnIntIndex() {
        assertThrows(IllegalArgumentException.class, () -> new BatchShape(1, 46341, 46341));
        assertThrows(IllegalArgumentException.class, () -> new BatchShape(65536, 65536, 65536));
        assertThrows(IllegalArgumentException.class, () -> new BatchShape(Integer.MAX_VALUE, Integer.MAX_VALUE, 2));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new BatchShape(2, 1 << 15, 1 << 15));
        assertTrue(e.getMessage().contains("2147483648"), "the message gives the count: " + e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new BatchShape(1 << 30, 1 << 30, 1 << 30),
                "2⁹⁰ elements: the 64-bit product wraps to 0 and must still be rejected");
        assertThrows(
                IllegalArgumentException.class,
                () -> new BatchShape(1 << 21, 1 << 21, 1 << 22),
                "2⁶⁴ elements: the 64-bit product wraps to 0");
        assertEquals(Integer.MAX_VALUE, new BatchShape(1, 1, Integer.MAX_VALUE).elementCount());
        assertEquals(Integer.MAX_VALUE, new BatchShape(Integer.MAX_VALUE, 1, 1).elementCount());
    }
}
