package dev.specnorm.api.testing;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import java.util.Arrays;

/**
 * A small dense float64 matrix, row-major, for the references: products, transposes, elementwise
 * absolute values and norms, written plainly (no blocking, no library) so that what the reference
 * computes is evident. Immutable by convention: every operation returns a new matrix.
 */
public final class Dense {

    /** Rows m. */
    public final int rows;
    /** Columns n. */
    public final int cols;
    /** The entries, (i, j) at {@code i*cols + j}. */
    public final double[] a;

    /** A matrix holding {@code a} (not copied). */
    public Dense(int rows, int cols, double[] a) {
        if (a.length != rows * cols) {
            throw new IllegalArgumentException(
                    rows + "×" + cols + " needs " + rows * cols + " entries, got " + a.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.a = a;
    }

    /** A zero matrix. */
    public static Dense zeros(int rows, int cols) {
        return new Dense(rows, cols, new double[rows * cols]);
    }

    /** The identity of order n. */
    public static Dense identity(int n) {
        Dense d = zeros(n, n);
        for (int i = 0; i < n; i++) {
            d.a[i * n + i] = 1;
        }
        return d;
    }

    /** The float32 matrix {@code data[offset .. offset+m·n)} widened exactly to float64. */
    public static Dense of(float[] data, int offset, int rows, int cols) {
        double[] a = new double[rows * cols];
        for (int k = 0; k < a.length; k++) {
            a[k] = data[offset + k];
        }
        return new Dense(rows, cols, a);
    }

    /** Matrix {@code k} of a batch widened exactly to float64. */
    public static Dense of(MatrixBatch batch, int k) {
        BatchShape s = batch.shape();
        return of(batch.toArray(), k * s.matrixSize(), s.rows(), s.cols());
    }

    /** A column vector of the float32 values {@code x[offset .. offset+n)}. */
    public static double[] vector(float[] x, int offset, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = x[offset + i];
        }
        return v;
    }

    /** A column vector of all the float32 values of {@code x}, widened exactly. */
    public static double[] vector(float[] x) {
        return vector(x, 0, x.length);
    }

    /** The square diagonal matrix diag(s). */
    public static Dense diagonal(float[] s) {
        Dense d = zeros(s.length, s.length);
        for (int i = 0; i < s.length; i++) {
            d.a[i * s.length + i] = s[i];
        }
        return d;
    }

    /** The outer product x yᵀ. */
    public static Dense outer(double[] x, double[] y) {
        Dense d = zeros(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                d.a[i * y.length + j] = x[i] * y[j];
            }
        }
        return d;
    }

    /** Entry (i, j). */
    public double get(int i, int j) {
        return a[i * cols + j];
    }

    /** Whether every entry is finite. */
    public boolean isFinite() {
        for (double x : a) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** This times {@code b}. */
    public Dense times(Dense b) {
        if (cols != b.rows) {
            throw new IllegalArgumentException(rows + "×" + cols + " times " + b.rows + "×" + b.cols);
        }
        Dense c = zeros(rows, b.cols);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                double x = a[i * cols + k];
                if (x == 0) {
                    continue;
                }
                int bo = k * b.cols;
                int co = i * b.cols;
                for (int j = 0; j < b.cols; j++) {
                    c.a[co + j] += x * b.a[bo + j];
                }
            }
        }
        return c;
    }

    /** This times the vector x. */
    public double[] times(double[] x) {
        if (x.length != cols) {
            throw new IllegalArgumentException(rows + "×" + cols + " times a vector of " + x.length);
        }
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += a[i * cols + j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    /** Transpose times the vector x: Aᵀx. */
    public double[] transposeTimes(double[] x) {
        if (x.length != rows) {
            throw new IllegalArgumentException(rows + "×" + cols + " transposed times a vector of " + x.length);
        }
        double[] y = new double[cols];
        for (int i = 0; i < rows; i++) {
            double xi = x[i];
            for (int j = 0; j < cols; j++) {
                y[j] += a[i * cols + j] * xi;
            }
        }
        return y;
    }

    /** The transpose. */
    public Dense transpose() {
        Dense t = zeros(cols, rows);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t.a[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    /** This plus s·b. */
    public Dense plus(double s, Dense b) {
        requireSameShape(b);
        Dense c = zeros(rows, cols);
        for (int k = 0; k < a.length; k++) {
            c.a[k] = a[k] + s * b.a[k];
        }
        return c;
    }

    /** s times this. */
    public Dense scale(double s) {
        Dense c = zeros(rows, cols);
        for (int k = 0; k < a.length; k++) {
            c.a[k] = s * a[k];
        }
        return c;
    }

    /** |this|, elementwise. */
    public Dense abs() {
        Dense c = zeros(rows, cols);
        for (int k = 0; k < a.length; k++) {
            c.a[k] = Math.abs(a[k]);
        }
        return c;
    }

    /** This with its diagonal set to zero: A ⊙ (1 − I). */
    public Dense offDiagonal() {
        Dense c = new Dense(rows, cols, a.clone());
        for (int i = 0; i < Math.min(rows, cols); i++) {
            c.a[i * cols + i] = 0;
        }
        return c;
    }

    /** sign(this), elementwise, with sign(0) = 0. */
    public Dense sign() {
        Dense c = zeros(rows, cols);
        for (int k = 0; k < a.length; k++) {
            c.a[k] = Math.signum(a[k]);
        }
        return c;
    }

    /** ⟨this, b⟩ = Σᵢⱼ aᵢⱼ bᵢⱼ. */
    public double dot(Dense b) {
        requireSameShape(b);
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b.a[k];
        }
        return s;
    }

    /** Σᵢⱼ |aᵢⱼ|. */
    public double sumAbs() {
        double s = 0;
        for (double x : a) {
            s += Math.abs(x);
        }
        return s;
    }

    /** ‖this‖_F, computed without overflow or underflow. */
    public double frobenius() {
        return norm2(a);
    }

    /** The largest |aᵢⱼ|. */
    public double maxAbs() {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** ‖x‖₂ of a vector, scaled by its largest entry so that it neither overflows nor underflows. */
    public static double norm2(double[] x) {
        double scale = 0;
        for (double v : x) {
            scale = Math.max(scale, Math.abs(v));
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double s = 0;
        for (double v : x) {
            double t = v / scale;
            s += t * t;
        }
        return scale * Math.sqrt(s);
    }

    /** xᵀy. */
    public static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** |x| elementwise. */
    public static double[] abs(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }

    /** x + s·y. */
    public static double[] plus(double[] x, double s, double[] y) {
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = x[i] + s * y[i];
        }
        return z;
    }

    /** The entries rounded to float32. */
    public float[] toFloat() {
        float[] f = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            f[k] = (float) a[k];
        }
        return f;
    }

    private void requireSameShape(Dense b) {
        if (b.rows != rows || b.cols != cols) {
            throw new IllegalArgumentException(rows + "×" + cols + " versus " + b.rows + "×" + b.cols);
        }
    }

    @Override
    public String toString() {
        return "Dense" + rows + "×" + cols + (a.length <= 16 ? Arrays.toString(a) : "");
    }
}
