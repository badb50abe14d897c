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

    /** Evidence with fixed answers that counts how often it is asked. */
    private static final class FixedEvidence implements SigmaEvidence {
        final boolean finite;
        final double frobeniusSquared;
        int asked;

        FixedEvidence(boolean finite, double frobeniusSquared) {
            this.finite = finite;
            this.frobeniusSquared = frobeniusSquared;
        }

        @Override
        public boolean inputIsFinite(int k) {
            asked++;
            return finite;
        }

        @Override
        public double frobeniusSquared(int k) {
            asked++;
            return frobeniusSquared;
        }

        @Override
        public double normU(int k) {
            asked++;
            return 1;
        }

        @Override
        public double normV(int k) {
            asked++;
            return 1;
        }
    }

    /**
     * The shared σ̂ protocol: a negative evaluated σ̂ within 2(m + n)·2⁻²⁴·‖u‖‖v‖·‖W‖_F (here m = n = 4,
     * ‖W‖_F = 2: 16·2⁻²⁴·2 ≈ 1.9e-6) is a rounded zero, beyond it stale state; only the leading σ̂ of an
     * evaluation can be stale; a non-finite σ̂ is bad input or overflow as the evidence says; a healthy σ̂
     * never asks the evidence anything.
     */
    @Test
    void sigmaProtocol() {
        FixedEvidence healthy = new FixedEvidence(true, 4);
        float[] sigma = {2f, 1f};
        ResultChecks.checkSigmas(0, sigma, 0, 2, true, false, 4, 4, healthy);
        assertArrayEquals(new float[] {2f, 1f}, sigma);
        assertEquals(0, healthy.asked);

        float[] rounded = {5f, -1e-6f, 0.5f};
        ResultChecks.checkSigmas(1, rounded, 1, 2, true, false, 4, 4, new FixedEvidence(true, 4));
        assertArrayEquals(new float[] {5f, 0f, 0.5f}, rounded);

        float[] stale = {-1e-5f};
        assertEquals(
                1,
                assertThrows(
                                StaleStateException.class,
                                () -> ResultChecks.checkSigmas(
                                        1, stale, 0, 1, true, false, 4, 4, new FixedEvidence(true, 4)))
                        .matrixIndex());
        // SRIP's operator: the scale is ‖W‖²_F + 1 = 5 (bound 16·2⁻²⁴·5 ≈ 4.8e-6), so -4e-6, stale for W
        // itself, is a rounded zero
        float[] plain = {-4e-6f};
        assertThrows(
                StaleStateException.class,
                () -> ResultChecks.checkSigmas(1, plain, 0, 1, true, false, 4, 4, new FixedEvidence(true, 4)));
        float[] gram = {-4e-6f};
        ResultChecks.checkSigmas(1, gram, 0, 1, true, true, 4, 4, new FixedEvidence(true, 4));
        assertEquals(0f, gram[0]);

        float[] iterated = {-1e-5f};
        ResultChecks.checkSigmas(0, iterated, 0, 1, false, false, 4, 4, new FixedEvidence(true, 4));
        assertEquals(-1e-5f, iterated[0]);
        float[] secondVector = {1f, -1e-5f};
        ResultChecks.checkSigmas(0, secondVector, 0, 2, true, false, 4, 4, new FixedEvidence(true, 4));

        NonFiniteValueException overflow = assertThrows(
                NonFiniteValueException.class,
                () -> ResultChecks.checkSigmas(
                        2,
                        new float[] {1f, Float.POSITIVE_INFINITY},
                        0,
                        2,
                        false,
                        false,
                        4,
                        4,
                        new FixedEvidence(true, 4)));
        assertTrue(overflow instanceof FloatOverflowException, overflow.getMessage());
        assertEquals(2, overflow.matrixIndex());
        NonFiniteValueException badInput = assertThrows(
                NonFiniteValueException.class,
                () -> ResultChecks.checkSigmas(
                        2, new float[] {Float.NaN}, 0, 1, true, false, 4, 4, new FixedEvidence(false, Double.NaN)));
        assertFalse(badInput instanceof FloatOverflowException, badInput.getMessage());
    }
}
