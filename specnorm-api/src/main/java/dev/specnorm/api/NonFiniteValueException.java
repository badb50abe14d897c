package dev.specnorm.api;

/**
 * A NaN or infinity reached a result: the input held a non-finite entry, or the arithmetic overflowed
 * ({@link FloatOverflowException}). Thrown instead of returning a non-finite value; the caller's
 * power-iteration state is left as it was.
 */
public class NonFiniteValueException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    private final int matrixIndex;

    /**
     * @param matrixIndex the matrix's position in the flattened batch or list, or -1 if unknown
     * @param message     what was computed and what was found
     */
    public NonFiniteValueException(int matrixIndex, String message) {
        super(matrixIndex >= 0 ? "matrix " + matrixIndex + ": " + message : message);
        this.matrixIndex = matrixIndex;
    }

    /** The matrix's position in the flattened batch or list, or -1 if unknown. */
    public int matrixIndex() {
        return matrixIndex;
    }
}
