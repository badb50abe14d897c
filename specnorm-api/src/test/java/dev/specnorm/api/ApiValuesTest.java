package dev.specnorm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The small value types of the API: penalties by name, options, conventions. */
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
        assertEquals(new PowerOptions(3, 2, 4), PowerOptions.DEFAULT.withSeed(3).withWarmup(2).withVectors(4));
    }
}
