package dev.specnorm.cuda;

import java.util.Arrays;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * The arguments of one kernel launch, in the kernel's parameter order, each with the C type class it is
 * passed as ({@link Kind}). Built by {@link KernelLauncher}'s typed methods only, so the kinds always
 * match the Java parameter types; {@link #parameters()} gives the driver's {@code kernelParams}.
 */
final class KernelArgs {

    /** How an argument is passed: what a kernel parameter of that C type expects. */
    enum Kind {
        /** A device pointer ({@code float*}, {@code const int* __restrict__}, ...): 8 bytes, null as 0. */
        POINTER,
        /** {@code int}: 4 bytes. */
        INT,
        /** {@code long long}: 8 bytes. */
        LONG,
        /** {@code double}: 8 bytes. */
        DOUBLE
    }

    private final Kind[] kinds;
    private final Object[] values;
    private int size;

    /** An empty list with room for {@code capacity} arguments (the kernel's parameter count). */
    KernelArgs(int capacity) {
        kinds = new Kind[capacity];
        values = new Object[capacity];
    }

    /** Appends a device pointer (null: the null pointer). */
    KernelArgs pointer(CUdeviceptr p) {
        return add(Kind.POINTER, p);
    }

    /** Appends an {@code int}. */
    KernelArgs i32(int x) {
        return add(Kind.INT, x);
    }

    /** Appends a {@code long long}. */
    KernelArgs i64(long x) {
        return add(Kind.LONG, x);
    }

    /** Appends a {@code double}. */
    KernelArgs f64(double x) {
        return add(Kind.DOUBLE, x);
    }

    private KernelArgs add(Kind kind, Object value) {
        kinds[size] = kind;
        values[size] = value;
        size++;
        return this;
    }

    /** The kinds, in order. */
    List<Kind> kinds() {
        return Arrays.asList(Arrays.copyOf(kinds, size));
    }

    /** The values, in order (boxed primitives; device pointers as given, null included). */
    List<Object> values() {
        return Arrays.asList(Arrays.copyOf(values, size));
    }

    /** The driver's {@code kernelParams}: for each argument, a host pointer to its value. */
    Pointer[] parameters() {
        Pointer[] params = new Pointer[size];
        for (int i = 0; i < size; i++) {
            Object a = values[i];
            params[i] = switch (kinds[i]) {
                case POINTER -> a == null ? Pointer.to(new long[] {0L}) : Pointer.to((CUdeviceptr) a);
                case INT -> Pointer.to(new int[] {(Integer) a});
                case LONG -> Pointer.to(new long[] {(Long) a});
                case DOUBLE -> Pointer.to(new double[] {(Double) a});
            };
        }
        return params;
    }
}
