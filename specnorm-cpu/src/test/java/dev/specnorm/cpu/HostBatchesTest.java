package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.specnorm.api.MatrixBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which operands {@link HostBatches} leaves in place, and that staging one on demand copies it exactly. */
class HostBatchesTest {

    private static final float[] VALUES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    private static FloatBuffer directBuffer(ByteOrder order) {
        return ByteBuffer.allocateDirect(4 * VALUES.length)
                .order(order)
                .asFloatBuffer()
                .put(VALUES)
                .flip();
    }

    @Test
    void aDirectNativeOrderBufferStaysInPlaceUntilItsArrayIsAskedFor() {
        MatrixBatch batch = MatrixBatch.of(directBuffer(ByteOrder.nativeOrder()), 2, 2, 3);
        try (HostBatches w = new HostBatches(new Staging()).reuseInPlace(List.of(batch))) {
            FloatBuffer direct = w.direct(1);
            assertNotNull(direct, "in place before data() is asked");
            assertEquals(6, w.directOffset(1));
            assertEquals(7f, direct.get(w.directOffset(1)));
            float[] staged = w.data(1);
            assertArrayEquals(VALUES, Arrays.copyOfRange(staged, 0, VALUES.length));
            assertEquals(6, w.offset(1));
            assertNull(w.direct(1), "staged once asked for");
        }
    }

    @Test
    void otherOperandsAreStagedOrUsedAsArrays() {
        Staging staging = new Staging();
        MatrixBatch swapped = MatrixBatch.of(
                directBuffer(
                        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                                ? ByteOrder.BIG_ENDIAN
                                : ByteOrder.LITTLE_ENDIAN),
                1,
                3,
                4);
        MatrixBatch heap = MatrixBatch.of(VALUES.clone(), 3, 4);
        MatrixBatch readOnly =
                MatrixBatch.of(directBuffer(ByteOrder.nativeOrder()).asReadOnlyBuffer(), 1, 3, 4);
        try (HostBatches w = new HostBatches(staging).reuseInPlace(List.of(swapped, heap, readOnly));
                HostBatches o = new HostBatches(staging).reuseForOutputInPlace(List.of(readOnly));
                HostBatches plain = HostBatches.read(
                        List.of(MatrixBatch.of(directBuffer(ByteOrder.nativeOrder()), 1, 3, 4)), staging)) {
            assertNull(w.direct(0), "another byte order is staged");
            assertArrayEquals(VALUES, Arrays.copyOf(w.data(0), VALUES.length));
            assertNull(w.direct(1), "an array is used as it is");
            assertNotNull(w.direct(2), "a read-only direct buffer can be read in place");
            assertNull(o.direct(0), "but not written in place");
            assertNull(plain.direct(0), "read() stages every direct buffer");
        }
    }
}
