package dev.specnorm.cli.checkpoint;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The element types a checkpoint may declare, by their safetensors names. Only the four floating-point
 * types are read ({@link #isReadable()}); the others are recognised so that a message can name them (an
 * integer step counter in a state dict, say). Float16 and bfloat16 become float32 exactly
 * ({@link HalfPrecision}).
 */
public enum TensorDtype {
    F64(8, "float64"),
    F32(4, "float32"),
    F16(2, "float16"),
    BF16(2, "bfloat16"),
    I8(1, "int8"),
    I16(2, "int16"),
    I32(4, "int32"),
    I64(8, "int64"),
    U8(1, "uint8"),
    U16(2, "uint16"),
    U32(4, "uint32"),
    U64(8, "uint64"),
    BOOL(1, "bool"),
    F8_E4M3(1, "float8_e4m3"),
    F8_E5M2(1, "float8_e5m2");

    private static final Set<TensorDtype> READABLE = EnumSet.of(F64, F32, F16, BF16);

    private final int itemSize;
    private final String typeName;

    TensorDtype(int itemSize, String typeName) {
        this.itemSize = itemSize;
        this.typeName = typeName;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** The NumPy-style name: float16, bfloat16, int64, ... */
    public String typeName() {
        return typeName;
    }

    /** Whether specnorm reads this type (F64, F32, F16, BF16). */
    public boolean isReadable() {
        return READABLE.contains(this);
    }

    /** The dtype of a safetensors header's {@code dtype} string, or null if it names none of these. */
    public static TensorDtype ofSafetensorsName(String name) {
        for (TensorDtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * Element {@code index} of {@code data} (absolute, in the buffer's byte order) as float32; float64 is
     * rounded to nearest.
     */
    float read(ByteBuffer data, int index) {
        return switch (this) {
            case F64 -> (float) data.getDouble(index * 8);
            case F32 -> data.getFloat(index * 4);
            case F16 -> HalfPrecision.float16ToFloat(data.getShort(index * 2));
            case BF16 -> HalfPrecision.bfloat16ToFloat(data.getShort(index * 2));
            default -> throw new IllegalStateException(typeName + " is not read");
        };
    }

    /** Element {@code index} as float64 (exact for every readable type). */
    double readDouble(ByteBuffer data, int index) {
        return this == F64 ? data.getDouble(index * 8) : read(data, index);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
