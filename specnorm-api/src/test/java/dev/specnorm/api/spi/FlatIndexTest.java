package dev.specnorm.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.specnorm.api.BatchShape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flattened numbering against a hand-counted list of three batches. */
class FlatIndexTest {

    @Test
    void numbersMatricesBatchAfterBatch() {
        FlatIndex index =
                FlatIndex.ofShapes(List.of(new BatchShape(2, 3, 4), new BatchShape(1, 5, 2), new BatchShape(3, 1, 7)));
        assertEquals(3, index.batches());
        assertEquals(6, index.count());
        int[] batchOf = {0, 0, 1, 2, 2, 2};
        long[] offset = {0, 12, 0, 0, 7, 14};
        for (int k = 0; k < 6; k++) {
            assertEquals(batchOf[k], index.batchOf(k), "batch of " + k);
            assertEquals(offset[k], index.offsetInBatch(k), "offset of " + k);
        }
        assertEquals(0, index.first(0));
        assertEquals(2, index.first(1));
        assertEquals(3, index.first(2));
        assertEquals(6, index.first(3));
        assertEquals(5, index.rows(2));
        assertEquals(2, index.cols(2));
        assertEquals(new BatchShape(3, 1, 7), index.shapeOf(4));
    }

    @Test
    void refusesMoreMatricesThanAnIntIndex() {
        BatchShape big = new BatchShape(Integer.MAX_VALUE, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> FlatIndex.ofShapes(List.of(big, big)));
        assertThrows(NullPointerException.class, () -> FlatIndex.ofShapes(Arrays.asList(big, null)));
    }
}
