package dev.specnorm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The small value types of the API: penalties by name, options, conventions, result checks. */
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

    @Test
    void resultChecks() {
        ResultChecks.checkSigma(0, 0f, 0);
        ResultChecks.checkSigma(0, -1f, 1);
        assertEquals(3, assertThrows(StaleStateException.class, () -> ResultChecks.checkSigma(3, -1e-30f, 0)).matrixIndex());
        NonFiniteValueException nan = assertThrows(NonFiniteValueException.class, () -> ResultChecks.checkSigma(2, Float.NaN, 1));
        assertEquals(2, nan.matrixIndex());
        assertTrue(nan.getMessage().startsWith("matrix 2"), nan.getMessage());
        assertEquals(1.5f, ResultChecks.toFloat(0, 1.5, "x", () -> true));
    }

    @Test
    void overflowIsToldFromNonFiniteInput() {
        NonFiniteValueException over = assertThrows(NonFiniteValueException.class,
                () -> ResultChecks.toFloat(4, 1e39, "loss", () -> true));
        assertTrue(over instanceof FloatOverflowException);
        assertEquals(4, over.matrixIndex());
        NonFiniteValueException bad = assertThrows(NonFiniteValueException.class,
                () -> ResultChecks.toFloat(4, Double.NaN, "loss", () -> false));
        assertFalse(bad instanceof FloatOverflowException);
        assertTrue(ResultChecks.inputIsFinite(new float[] {Float.NaN, 1, 2}, 1, 2));
        assertFalse(ResultChecks.inputIsFinite(new float[] {Float.NaN, 1, 2}, 0, 2));
        assertEquals(-1, new NonFiniteValueException(-1, "x").matrixIndex());
        assertEquals("x", new NonFiniteValueException(-1, "x").getMessage());
    }
}
