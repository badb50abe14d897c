package dev.specnorm.cuda;

import java.lang.reflect.Field;
import jcuda.NativePointerObject;

/**
 * Reads and sets the native value of JCuda handle objects ({@code CUstream}, {@code gesvdjInfo}), which
 * JCuda keeps in a private field with no public accessor: needed to wrap a stream handle a caller passes as
 * a number, and to work around JCusolver's {@code cusolverDnCreateGesvdjInfo} binding (see {@link CudaSvd}).
 */
final class NativeHandles {

    private static final Field VALUE;

    static {
        try {
            VALUE = NativePointerObject.class.getDeclaredField("nativePointer");
            VALUE.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("this JCuda version hides its handle values differently: " + e);
        }
    }

    private NativeHandles() {}

    /** {@code handle} with its native value set to {@code value}. */
    static <T extends NativePointerObject> T withValue(T handle, long value) {
        try {
            VALUE.setLong(handle, value);
            return handle;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set a JCuda handle's value", e);
        }
    }

    /** The native value of {@code handle}. */
    static long value(NativePointerObject handle) {
        try {
            return VALUE.getLong(handle);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read a JCuda handle's value", e);
        }
    }
}
