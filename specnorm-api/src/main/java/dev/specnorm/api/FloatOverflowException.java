package dev.specnorm.api;

/**
 * A result of finite input does not fit in float32: a penalty (which grows like ‖W‖⁴) or its gradient
 * exceeds {@link Float#MAX_VALUE}. Scale the weights or compute in a wider type.
 */
public class FloatOverflowException extends NonFiniteValueException {

    private static final long serialVersionUID = 1L;

    /**
     * @param matrixIndex the matrix's position in the flattened batch or list, or -1 if unknown
     * @param message     what overflowed
     */
    public FloatOverflowException(int matrixIndex, String message) {
        super(matrixIndex, message);
    }
}
