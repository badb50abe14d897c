package dev.specnorm.api.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.FloatOverflowException;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.StaleStateException;
import org.junit.jupiter.api.Test;

/** The engines' result checks: stale state, non-finite values, overflow, penalty totals. */
class ResultChecksTest {

    @Test
    void resultChecks() {
        ResultChecks.checkSigma(0, 0f, 0);
        ResultChecks.checkSigma(0, -1f, 1);
        assertEquals(
                3,
                assertThrows(StaleStateException.class, () -> ResultChecks.checkSigma(3, -1e-30f, 0))
                        .matrixIndex());
        NonFiniteValueException nan =
                assertThrows(NonFiniteValueException.class, () -> ResultChecks.checkSigma(2, Float.NaN, 1));
        assertEquals(2, nan.matrixIndex());
        assertTrue(nan.getMessage().startsWith("matrix 2"), nan.getMessage());
        assertEquals(1.5f, ResultChecks.toFloat(0, 1.5, "x", () -> true));
    }

    @Test
    void overflowIsToldFromNonFiniteInput() {
        NonFiniteValueException over =
                assertThrows(NonFiniteValueException.class, () -> ResultChecks.toFloat(4, 1e39, "loss", () -> true));
        assertTrue(over instanceof FloatOverflowException);
        assertEquals(4, over.matrixIndex());
        NonFiniteValueException bad = assertThrows(
                NonFiniteValueException.class, () -> ResultChecks.toFloat(4, Double.NaN, "loss", () -> false));
        assertFalse(bad instanceof FloatOverflowException);
        assertTrue(ResultChecks.inputIsFinite(new float[] {Float.NaN, 1, 2}, 1, 2));
        assertFalse(ResultChecks.inputIsFinite(new float[] {Float.NaN, 1, 2}, 0, 2));
        assertEquals(-1, new NonFiniteValueException(-1, "x").matrixIndex());
        assertEquals("x", new NonFiniteValueException(-1, "x").getMessage());
    }

    @Test
    void penaltyTermsAreRoundedAndSummedInDouble() {
        PenaltyResult r = ResultChecks.penaltyFromTerms(new double[] {1.0, 0x1.0p-30, 3.0});
        assertArrayEquals(new float[] {1f, 0x1.0p-30f, 3f}, r.perMatrix());
        assertEquals((float) (4.0 + 0x1.0p-30), r.loss());
        assertThrows(FloatOverflowException.class, () -> ResultChecks.penaltyFromTerms(new double[] {3e38, 3e38}));
    }
}
