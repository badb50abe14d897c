package dev.specnorm.api.testing;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generators of float32 test matrices (Gaussian, exactly rank-deficient, zero, exactly
 * orthogonal, one-row and one-column, batches, lists of layers of different shapes, convolution weights)
 * and the flattening of a list of batches into its matrices, numbered as SPEC.md numbers them (position
 * in the flattened list). Everything is reproducible from the seed ({@link Random#nextGaussian()} is
 * specified exactly by the JDK).
 */
public final class TestMatrices {

    private TestMatrices() {}

    /** B·m·n standard normal float32 values. */
    public static float[] gaussian(long seed, int count) {
        Random r = new Random(seed);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** A batch of B Gaussian m×n matrices, entries N(0, scale²). */
    public static MatrixBatch gaussian(long seed, int batch, int rows, int cols, double scale) {
        float[] x = gaussian(seed, batch * rows * cols);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] * scale);
        }
        return MatrixBatch.of(x, batch, rows, cols);
    }

    /** One Gaussian m×n matrix with N(0, 1) entries. */
    public static MatrixBatch gaussian(long seed, int rows, int cols) {
        return gaussian(seed, 1, rows, cols, 1);
    }

    /**
     * An m×n matrix of rank at most {@code rank}, exactly in float32: X·Y with X (m×rank) and Y (rank×n)
     * of small integers, so every entry is an integer below 2²⁴ and the product is exact.
     */
    public static MatrixBatch rankDeficient(long seed, int rows, int cols, int rank) {
        Random r = new Random(seed);
        int[][] x = new int[rows][rank];
        int[][] y = new int[rank][cols];
        for (int[] row : x) {
            for (int k = 0; k < rank; k++) {
                row[k] = r.nextInt(7) - 3;
            }
        }
        for (int[] row : y) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextInt(7) - 3;
            }
        }
        float[] w = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int s = 0;
                for (int k = 0; k < rank; k++) {
                    s += x[i][k] * y[k][j];
                }
                w[i * cols + j] = s;
            }
        }
        return MatrixBatch.of(w, rows, cols);
    }

    /** A zero batch. */
    public static MatrixBatch zeros(int batch, int rows, int cols) {
        return MatrixBatch.of(new float[batch * rows * cols], batch, rows, cols);
    }

    /**
     * The n×n Sylvester–Hadamard matrix divided by √n (n a power of 4, so √n is a power of 2): exactly
     * orthogonal in float32, W Wᵀ = I with no rounding.
     */
    public static MatrixBatch orthogonalHadamard(int n) {
        int root = (int) Math.round(Math.sqrt(n));
        if (root * root != n || Integer.bitCount(root) != 1) {
            throw new IllegalArgumentException("n must be a power of 4, got " + n);
        }
        float[] w = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w[i * n + j] = (Integer.bitCount(i & j) % 2 == 0 ? 1f : -1f) / root;
            }
        }
        return MatrixBatch.of(w, n, n);
    }

    /**
     * A matrix suited to finite differences of {@code l1}: Gaussian with entries N(0, scale²), redrawn
     * until every entry of A − I (A = W Wᵀ, in float64) is at least {@code margin} away from 0.
     */
    public static MatrixBatch awayFromKinks(long seed, int rows, int cols, double scale, double margin) {
        for (long s = seed; ; s += 7919) {
            MatrixBatch w = gaussian(s, 1, rows, cols, scale);
            Dense d = Dense.of(w.toArray(), 0, rows, cols);
            Dense a = d.times(d.transpose()).plus(-1, Dense.identity(rows));
            boolean ok = true;
            for (double x : a.a) {
                ok &= Math.abs(x) >= margin;
            }
            if (ok) {
                return w;
            }
        }
    }

    /** A copy of {@code batch} with entry {@code at} of matrix {@code matrix} set to {@code value}. */
    public static MatrixBatch withEntry(MatrixBatch batch, int matrix, int at, float value) {
        float[] x = batch.toArray();
        x[matrix * batch.shape().matrixSize() + at] = value;
        BatchShape s = batch.shape();
        return MatrixBatch.of(x, s.batch(), s.rows(), s.cols());
    }

    /** A copy of {@code batch} scaled by {@code factor} (rounded to float32). */
    public static MatrixBatch scaled(MatrixBatch batch, double factor) {
        float[] x = batch.toArray();
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] * factor);
        }
        BatchShape s = batch.shape();
        return MatrixBatch.of(x, s.batch(), s.rows(), s.cols());
    }

    /** A copy of {@code batch} (new array). */
    public static MatrixBatch copy(MatrixBatch batch) {
        BatchShape s = batch.shape();
        return MatrixBatch.of(batch.toArray(), s.batch(), s.rows(), s.cols());
    }

    /** Copies of every batch of a list. */
    public static List<MatrixBatch> copy(List<MatrixBatch> batches) {
        List<MatrixBatch> out = new ArrayList<>();
        for (MatrixBatch b : batches) {
            out.add(copy(b));
        }
        return out;
    }

    /**
     * A network: a list of Gaussian batches of different shapes, tall, wide, square, one-row and
     * one-column: (2, 12, 20), (1, 30, 9), (3, 5, 5), (1, 1, 17), (1, 9, 1) — 8 matrices.
     */
    public static List<MatrixBatch> layers(long seed) {
        int[][] shapes = {{2, 12, 20}, {1, 30, 9}, {3, 5, 5}, {1, 1, 17}, {1, 9, 1}};
        List<MatrixBatch> out = new ArrayList<>();
        for (int l = 0; l < shapes.length; l++) {
            int[] s = shapes[l];
            out.add(gaussian(seed * 31 + l, s[0], s[1], s[2], 1.0 / Math.sqrt(Math.max(s[1], s[2]))));
        }
        return out;
    }

    /** Convolution weights (d0, d1, kh, kw), C-order, N(0, 1/(d1·kh·kw)). */
    public static float[] convolutionWeight(long seed, int d0, int d1, int kh, int kw) {
        float[] x = gaussian(seed, d0 * d1 * kh * kw);
        double s = 1 / Math.sqrt((double) d1 * kh * kw);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] * s);
        }
        return x;
    }

    /** The shapes of a list of batches. */
    public static List<BatchShape> shapes(List<? extends MatrixBatch> batches) {
        List<BatchShape> out = new ArrayList<>();
        for (MatrixBatch b : batches) {
            out.add(b.shape());
        }
        return out;
    }

    /** The matrices of a list of batches in flattened order, each widened to float64. */
    public static List<Dense> flatten(List<MatrixBatch> batches) {
        List<Dense> out = new ArrayList<>();
        for (MatrixBatch b : batches) {
            BatchShape s = b.shape();
            float[] x = b.toArray();
            for (int k = 0; k < s.batch(); k++) {
                out.add(Dense.of(x, k * s.matrixSize(), s.rows(), s.cols()));
            }
        }
        return out;
    }

    /** The list of batches laid out as in {@link #flatten}, one float32 array per matrix. */
    public static List<float[]> flattenFloat(List<MatrixBatch> batches) {
        List<float[]> out = new ArrayList<>();
        for (MatrixBatch b : batches) {
            BatchShape s = b.shape();
            float[] x = b.toArray();
            for (int k = 0; k < s.batch(); k++) {
                float[] m = new float[s.matrixSize()];
                System.arraycopy(x, k * s.matrixSize(), m, 0, m.length);
                out.add(m);
            }
        }
        return out;
    }

    /** Total number of matrices in a list of batches. */
    public static int count(List<MatrixBatch> batches) {
        int n = 0;
        for (MatrixBatch b : batches) {
            n += b.shape().batch();
        }
        return n;
    }

    /** The flattened index of matrix {@code member} of batch {@code layer}. */
    public static int flatIndex(List<MatrixBatch> batches, int layer, int member) {
        int n = 0;
        for (int l = 0; l < layer; l++) {
            n += batches.get(l).shape().batch();
        }
        return n + member;
    }

    /** A batch of {@code batch}'s shape and values in a new direct buffer in {@code order}. */
    public static MatrixBatch direct(MatrixBatch batch, ByteOrder order) {
        float[] values = batch.toArray();
        FloatBuffer buffer = ByteBuffer.allocateDirect(4 * values.length)
                .order(order)
                .asFloatBuffer()
                .put(values);
        BatchShape s = batch.shape();
        return MatrixBatch.of(buffer.flip(), s.batch(), s.rows(), s.cols());
    }
}
