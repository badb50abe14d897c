package dev.specnorm.cli.checkpoint;

/**
 * Exact conversion of IEEE 754 binary16 (float16) and bfloat16 to float32. Every value of both formats is
 * a float32 value, so nothing is rounded: bfloat16 is the upper half of a float32
 * ({@code bits << 16}); a float16 with sign s, exponent e (5 bits, bias 15) and fraction f (10 bits) is
 * (−1)ˢ·2^(e−15)·(1 + f/2¹⁰) for 0 &lt; e &lt; 31, (−1)ˢ·2^(−14)·f/2¹⁰ (subnormal) for e = 0, and
 * ±infinity or NaN for e = 31.
 */
public final class HalfPrecision {

    private static final float[] FLOAT16 = new float[1 << 16];

    static {
        for (int bits = 0; bits < FLOAT16.length; bits++) {
            FLOAT16[bits] = decodeFloat16(bits);
        }
    }

    private HalfPrecision() {}

    /** The float32 value of the float16 with these bits. */
    public static float float16ToFloat(short bits) {
        return FLOAT16[bits & 0xffff];
    }

    /** The float32 value of the bfloat16 with these bits. */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    private static float decodeFloat16(int bits) {
        int sign = (bits >>> 15) & 1;
        int exponent = (bits >>> 10) & 0x1f;
        int fraction = bits & 0x3ff;
        int f32;
        if (exponent == 0x1f) {
            f32 = (sign << 31) | 0x7f80_0000 | (fraction << 13);
        } else if (exponent != 0) {
            f32 = (sign << 31) | ((exponent - 15 + 127) << 23) | (fraction << 13);
        } else {
            float magnitude = fraction * 0x1p-24f; // subnormal: f·2^-24, exact in float32
            return sign == 1 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(f32);
    }
}
