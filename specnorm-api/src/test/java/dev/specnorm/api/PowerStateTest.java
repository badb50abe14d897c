package dev.specnorm.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.testing.ArrayBatchBuffer;
import dev.specnorm.api.testing.ArrayPowerState;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PowerState} and {@link BatchBuffer}: import validation leaves state unchanged; close semantics. */
class PowerStateTest {

    private static ArrayPowerState state() {
        StateLayout layout = StateLayout.of(List.of(new BatchShape(2, 3, 2)), StateLayout.Operator.MATRIX, 1);
        ArrayPowerState s = new ArrayPowerState(layout, "fake");
        s.importVectors(new float[] {1, 0, 0, 0, 1, 0}, new float[] {1, 0, 0, 1});
        return s;
    }

    @Test
    void importReplacesTheVectors() {
        ArrayPowerState s = state();
        s.importVectors(new float[] {0, 0, 1, 0, 0, 1}, new float[] {0, 1, 1, 0});
        assertArrayEquals(new float[] {0, 0, 1, 0, 0, 1}, s.exportU());
        assertArrayEquals(new float[] {0, 1, 1, 0}, s.exportV());
    }

    @Test
    void invalidImportsLeaveTheStateUnchanged() {
        ArrayPowerState s = state();
        float[] u = s.exportU();
        float[] v = s.exportV();
        IllegalArgumentException len =
                assertThrows(IllegalArgumentException.class, () -> s.importVectors(new float[5], v));
        assertTrue(len.getMessage().contains("u") && len.getMessage().contains("6"), len.getMessage());
        IllegalArgumentException vl =
                assertThrows(IllegalArgumentException.class, () -> s.importVectors(u, new float[5]));
        assertTrue(vl.getMessage().startsWith("v"), vl.getMessage());
        float[] bad = v.clone();
        bad[3] = Float.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> s.importVectors(u, bad));
        assertTrue(nan.getMessage().contains("v[3]"), nan.getMessage());
        float[] inf = u.clone();
        inf[0] = Float.NEGATIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> s.importVectors(inf, v));
        assertThrows(NullPointerException.class, () -> s.importVectors(null, v));
        assertThrows(NullPointerException.class, () -> s.importVectors(u, null));
        assertArrayEquals(u, s.exportU());
        assertArrayEquals(v, s.exportV());
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() {
        ArrayPowerState s = state();
        s.close();
        s.close();
        assertEquals(1, s.releases(), "released once");
        assertTrue(s.isClosed());
        assertThrows(IllegalStateException.class, s::exportU);
        assertThrows(IllegalStateException.class, s::exportV);
        assertThrows(IllegalStateException.class, () -> s.importVectors(new float[6], new float[4]));
        assertTrue(s.toString().contains("closed"));
    }

    @Test
    void buffersCopyAndCloseOnce() {
        ArrayBatchBuffer b = new ArrayBatchBuffer(new BatchShape(1, 2, 2), "fake");
        b.copyFrom(MatrixBatch.of(new float[] {1, 2, 3, 4}, 2, 2));
        assertArrayEquals(new float[] {1, 2, 3, 4}, b.toHost().toArray());
        assertThrows(IllegalArgumentException.class, () -> b.copyFrom(MatrixBatch.zeros(BatchShape.matrix(1, 4))));
        assertThrows(
                IllegalArgumentException.class,
                () -> b.copyTo(MatrixBatch.of(FloatBuffer.wrap(new float[4]).asReadOnlyBuffer(), 1, 2, 2)));
        b.close();
        b.close();
        assertEquals(1, b.releases());
        assertThrows(IllegalStateException.class, b::toHost);
        assertThrows(IllegalStateException.class, () -> b.copyFrom(MatrixBatch.zeros(b.shape())));
    }
}
