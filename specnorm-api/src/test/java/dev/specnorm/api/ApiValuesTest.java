package dev.specnorm.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The small value types of the API: penalties by name, options, conventions, immutable results. */
class ApiValuesTest {

    @Test
    void penaltiesByName() {
        assertEquals(Penalty.DOUBLE_SOFT, Penalty.fromName("double-soft"));
        assertEquals(Penalty.DOUBLE_SOFT, Penalty.fromName("DOUBLE_SOFT"));
        assertEquals(Penalty.L1, Penalty.fromName("L1"));
        for (Penalty p : Penalty.values()) {
            assertEquals(p, Penalty.fromName(p.cliName()));
            assertEquals(p.cliName(), p.toString());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Penalty.fromName("orth"));
        assertTrue(e.getMessage().contains("biggan") && e.getMessage().contains("slices"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Penalty.fromName(null));
    }

    @Test
    void conventionsAreSpecs() {
        assertEquals(1e-12f, Conventions.EPS);
        assertEquals(1e-4f, Conventions.DEFAULT_BETA);
        assertEquals(2, Conventions.SRIP_ITERATIONS);
        assertEquals(new LanczosOptions(1e-6, 300, 0), LanczosOptions.DEFAULT);
        assertEquals(new PowerOptions(0, 15, 1), PowerOptions.DEFAULT);
        assertEquals(
                new PowerOptions(3, 2, 4, 5),
                PowerOptions.DEFAULT.withSeed(3).withWarmup(2).withVectors(4).withFirstIndex(5));
        assertEquals(0, PowerOptions.DEFAULT.firstIndex());
        assertEquals(0, LanczosOptions.DEFAULT.firstIndex());
        assertEquals(
                new LanczosOptions(1e-6, 300, 3, 5),
                LanczosOptions.DEFAULT.withSeed(3).withFirstIndex(5));
    }

    /** Operations take exactly the two operand kinds: an unknown Matrices type cannot be written. */
    @Test
    void matricesIsSealedToTheTwoOperandKinds() {
        assertTrue(Matrices.class.isSealed());
        assertArrayEquals(
                new Class<?>[] {MatrixBatch.class, BatchBuffer.class}, Matrices.class.getPermittedSubclasses());
        assertFalse(BatchBuffer.class.isSealed());
    }

    @Test
    void resultsDoNotShareTheirArrays() {
        float[] terms = {1f, 2f};
        PenaltyResult penalty = new PenaltyResult(3f, terms);
        terms[0] = 99f;
        penalty.perMatrix()[1] = 99f;
        assertArrayEquals(new float[] {1f, 2f}, penalty.perMatrix());
        assertEquals(2, penalty.matrices());
        assertEquals(2f, penalty.term(1));
        assertEquals(new PenaltyResult(3f, new float[] {1f, 2f}), penalty);
        assertEquals(new PenaltyResult(3f, new float[] {1f, 2f}).hashCode(), penalty.hashCode());
        assertNotEquals(new PenaltyResult(3f, new float[] {1f, 2.5f}), penalty);

        float[] values = {2f, 1f};
        float[] u = {1f, 0f, 0f, 1f};
        float[] vt = {0f, 1f, 1f, 0f};
        SingularDecomposition svd = new SingularDecomposition(2, 2, values, u, vt);
        values[0] = 99f;
        u[0] = 99f;
        vt[0] = 99f;
        svd.values()[0] = 99f;
        svd.u()[1] = 99f;
        svd.vt()[1] = 99f;
        assertArrayEquals(new float[] {2f, 1f}, svd.values());
        assertArrayEquals(new float[] {1f, 0f, 0f, 1f}, svd.u());
        assertArrayEquals(new float[] {0f, 1f, 1f, 0f}, svd.vt());
        assertEquals(2f, svd.sigma1());
        assertEquals(1f, svd.value(1));
        assertTrue(svd.hasVectors());
        assertEquals(
                new SingularDecomposition(
                        2, 2, new float[] {2f, 1f}, new float[] {1f, 0f, 0f, 1f}, new float[] {0f, 1f, 1f, 0f}),
                svd);

        SingularDecomposition valuesOnly = new SingularDecomposition(2, 2, new float[] {2f, 1f}, null, null);
        assertFalse(valuesOnly.hasVectors());
        assertNull(valuesOnly.u());
        assertNull(valuesOnly.vt());
        assertNotEquals(valuesOnly, svd);
    }
}
