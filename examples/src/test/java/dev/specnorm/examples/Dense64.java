package dev.specnorm.examples;

/** Float64 helpers for checking results against references (row-major arrays). */
final class Dense64 {

    private Dense64() {
    }

    /** ‖a − b‖_F, in float64. */
    static double frobeniusDistance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /** ‖a‖_F, in float64. */
    static double frobenius(float[] a) {
        return frobeniusDistance(a, new float[a.length]);
    }

    /**
     * ‖U diag(s) Vh − W‖_F in float64 for matrix {@code k} of a batch: U is m×r, s has r entries, Vh is r×n,
     * W is m×n, each stored at offset k times its size.
     */
    static double reconstructionError(float[] u, float[] s, float[] vh, float[] w, int k, int m, int n) {
        int r = Math.min(m, n);
        double sum = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = -w[k * m * n + i * n + j];
                for (int l = 0; l < r; l++) {
                    x += (double) u[k * m * r + i * r + l] * s[k * r + l] * vh[k * r * n + l * n + j];
                }
                sum += x * x;
            }
        }
        return Math.sqrt(sum);
    }

    /** Matrix {@code k} of a batch of m×n matrices, copied. */
    static float[] matrix(float[] batch, int k, int m, int n) {
        float[] out = new float[m * n];
        System.arraycopy(batch, k * m * n, out, 0, m * n);
        return out;
    }
}
