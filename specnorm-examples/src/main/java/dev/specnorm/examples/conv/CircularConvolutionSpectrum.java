package dev.specnorm.examples.conv;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.jtransforms.fft.DoubleFFT_2D;

/**
 * The exact singular values of a 2-D multi-channel convolution with circular padding and stride 1 on an
 * n×n input (Sedghi, Gupta &amp; Long, "The Singular Values of Convolutional Layers", ICLR 2019, Theorem 6):
 * they are the multiset union, over the n² frequency pairs (p, q), of the singular values of the out×in
 * complex matrix
 * <pre>
 *   K̂(p, q)[o, c] = Σ_a Σ_b W[o, c, a, b] · exp(−2πi (p·a + q·b) / n)
 * </pre>
 * the unnormalized 2-D DFT (as {@code numpy.fft.fft2}) of each kernel channel pair zero-padded to n×n —
 * n²·min(in, out) values in all; ‖conv‖₂ is their maximum. Cross-correlation (PyTorch) and convolution, and
 * any circular shift of the output (where the padding centres the kernel), have the same singular values:
 * they change K̂ only by conjugation and unit phase factors.
 *
 * <p>The DFTs are computed by JTransforms ({@link DoubleFFT_2D#realForwardFull}). EJML has no complex SVD,
 * so each K̂ = A + iB is embedded as the real 2out×2in matrix [[A, −B], [B, A]], whose singular values are
 * those of K̂, each twice (it is unitarily similar to diag(K̂, conj(K̂))); every other one is kept. Since the
 * kernel is real, K̂(−p, −q) = conj(K̂(p, q)) has the same singular values and is computed once. Frequencies
 * are processed in parallel; the result is sorted, so it does not depend on the threads.
 */
public final class CircularConvolutionSpectrum {

    private CircularConvolutionSpectrum() {}

    /**
     * All n²·min(in, out) singular values, descending.
     *
     * @param weight (out, in, kh, kw) row-major
     * @param n      the input's side; kh, kw ≤ n
     */
    public static double[] singularValues(double[] weight, int out, int in, int kh, int kw, int n) {
        Objects.requireNonNull(weight, "weight");
        if (out < 1 || in < 1 || kh < 1 || kw < 1 || n < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (kh > n || kw > n) {
            throw new IllegalArgumentException(
                    "kernel " + kh + "x" + kw + " larger than the " + n + "x" + n + " input");
        }
        if (weight.length != (long) out * in * kh * kw) {
            throw new IllegalArgumentException("weight length does not match (out, in, kh, kw)");
        }
        int nn = n * n;
        // spectra[(o*in + c)] = interleaved (re, im) of the n×n DFT, row-major over (p, q)
        double[][] spectra = new double[out * in][];
        DoubleFFT_2D fft = new DoubleFFT_2D(n, n);
        for (int oc = 0; oc < out * in; oc++) {
            double[] a = new double[2 * nn];
            for (int r = 0; r < kh; r++) {
                for (int s = 0; s < kw; s++) {
                    a[r * n + s] = weight[(oc * kh + r) * kw + s];
                }
            }
            fft.realForwardFull(a);
            spectra[oc] = a;
        }
        int r = Math.min(out, in);
        double[][] perFrequency = new double[nn][];
        IntStream.range(0, nn).parallel().forEach(f -> {
            int p = f / n;
            int q = f % n;
            int partner = ((n - p) % n) * n + (n - q) % n;
            if (partner < f) {
                return; // conj(K̂(p, q)): the same values, filled in below
            }
            DMatrixRMaj m = new DMatrixRMaj(2 * out, 2 * in);
            for (int o = 0; o < out; o++) {
                for (int c = 0; c < in; c++) {
                    double re = spectra[o * in + c][2 * f];
                    double im = spectra[o * in + c][2 * f + 1];
                    m.set(o, c, re);
                    m.set(o, in + c, -im);
                    m.set(out + o, c, im);
                    m.set(out + o, in + c, re);
                }
            }
            SingularValueDecomposition_F64<DMatrixRMaj> svd =
                    DecompositionFactory_DDRM.svd(2 * out, 2 * in, false, false, true);
            if (!svd.decompose(m)) {
                throw new ArithmeticException("SVD failed at frequency (" + p + ", " + q + ")");
            }
            double[] all = Arrays.copyOf(svd.getSingularValues(), 2 * r);
            Arrays.sort(all);
            double[] values = new double[r];
            for (int k = 0; k < r; k++) {
                values[k] = all[2 * r - 1 - 2 * k]; // each value appears twice in the embedding
            }
            perFrequency[f] = values;
        });
        double[] result = new double[nn * r];
        for (int f = 0; f < nn; f++) {
            int p = f / n;
            int q = f % n;
            int partner = ((n - p) % n) * n + (n - q) % n;
            double[] values = perFrequency[Math.min(f, partner)];
            System.arraycopy(values, 0, result, f * r, r);
        }
        Arrays.sort(result);
        for (int i = 0, j = result.length - 1; i < j; i++, j--) {
            double t = result[i];
            result[i] = result[j];
            result[j] = t;
        }
        return result;
    }

    /** ‖conv‖₂ with circular padding on an n×n input: the largest of {@link #singularValues}. */
    public static double norm(double[] weight, int out, int in, int kh, int kw, int n) {
        return singularValues(weight, out, in, kh, kw, n)[0];
    }
}
