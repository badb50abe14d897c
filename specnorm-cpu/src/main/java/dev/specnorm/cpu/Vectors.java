package dev.specnorm.cpu;

/**
 * Vector helpers on float32 data: ‖x‖₂ and xᵀy accumulated in float64 (no overflow or underflow for any
 * finite float32 input, SPEC.md "Norms of vectors"), scaling and projections.
 */
final class Vectors {

    private Vectors() {}

    /** ‖x[0..len)‖₂, accumulated in float64. */
    static double norm(float[] x, int len) {
        double s0 = 0;
        double s1 = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            double a = x[i];
            double b = x[i + 1];
            s0 += a * a;
            s1 += b * b;
        }
        if (i < len) {
            double a = x[i];
            s0 += a * a;
        }
        return Math.sqrt(s0 + s1);
    }

    /** x[xo..xo+len) · y[yo..yo+len), accumulated in float64. */
    static double dot(float[] x, int xo, float[] y, int yo, int len) {
        double s0 = 0;
        double s1 = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            s0 += (double) x[xo + i] * y[yo + i];
            s1 += (double) x[xo + i + 1] * y[yo + i + 1];
        }
        if (i < len) {
            s0 += (double) x[xo + i] * y[yo + i];
        }
        return s0 + s1;
    }

    /** dst[do..do+len) = src[0..len)·s, each product rounded once to float32. */
    static void scale(float[] src, double s, float[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = (float) (src[i] * s);
        }
    }

    /** x[0..len) minus its projection on basis[bo..bo+len): x ← x − (bᵀx / bᵀb)·b; a zero b is skipped. */
    static void removeProjection(float[] x, float[] basis, int bo, int len) {
        double bb = dot(basis, bo, basis, bo, len);
        if (bb > 0) {
            float c = (float) (dot(basis, bo, x, 0, len) / bb);
            for (int i = 0; i < len; i++) {
                x[i] -= c * basis[bo + i];
            }
        }
    }

    /** Whether x[off..off+len) is all finite. */
    static boolean finite(float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (!Float.isFinite(x[i])) {
                return false;
            }
        }
        return true;
    }

    /** max |x[i]| over [0, len), in float64. */
    static double maxAbs(float[] x, int len) {
        float max = 0;
        for (int i = 0; i < len; i++) {
            max = Math.max(max, Math.abs(x[i]));
        }
        return max;
    }
}
