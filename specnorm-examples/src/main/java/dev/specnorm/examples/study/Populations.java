package dev.specnorm.examples.study;

import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.SeededGaussian;
import dev.specnorm.examples.SnganDiscriminator;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated populations, all from the seed (SeededGaussian streams; nothing downloaded):
 * <ul>
 *   <li>{@code gaussian}: N(0, 1) matrices n×n, n×n/4 (tall) and n/4×n (wide) for each size n;</li>
 *   <li>{@code gap}: U·diag(s)·Vᵀ with U, V random orthonormal (Gaussian, orthonormalized), s₁ = 1,
 *       s₂ = ρ, sᵢ = ρ·0.9^(i−2), for ρ = σ₂/σ₁ ∈ {0.5, 0.9, 0.99, 0.999}; and a repeated top value
 *       s₁ = s₂ = 1, sᵢ = 0.5·0.9^(i−3);</li>
 *   <li>{@code sngan}: the SN-GAN standard CNN discriminator's seven conv weights (Miyato et al. 2018,
 *       Table 3; N(0, 0.02²) as {@link SnganDiscriminator}, channel counts divided by
 *       the configured divisor), in the FILTERS and SLICES reshapes, and as conv layers at their real input
 *       sizes 32, 32, 16, 16, 8, 8, 4, padding 1.</li>
 * </ul>
 */
public final class Populations {

    /** (out, in, kernel, stride, input size) of the SN-GAN discriminator's convolutions. */
    static final int[][] SNGAN = {
        {64, 3, 3, 1, 32},
        {64, 64, 4, 2, 32},
        {128, 64, 3, 1, 16},
        {128, 128, 4, 2, 16},
        {256, 128, 3, 1, 8},
        {256, 256, 4, 2, 8},
        {512, 256, 3, 1, 4},
    };

    private Populations() {}

    /** The Gaussian population. */
    public static List<Subject> gaussian(StudyConfig config) {
        List<Subject> out = new ArrayList<>();
        long stream = 0;
        for (int n : config.sizes()) {
            int q = Math.max(1, n / 4);
            int samples = n <= 256 ? 4 : n <= 512 ? 2 : 1;
            for (int[] shape : new int[][] {{n, n}, {n, q}, {q, n}}) {
                String kind = shape[0] == shape[1] ? "square" : shape[0] > shape[1] ? "tall" : "wide";
                float[] data = new float[samples * shape[0] * shape[1]];
                new SeededGaussian(config.seed() + 101, stream++).fill(data, 0, data.length);
                out.add(new Subject(
                        "gaussian",
                        "gaussian " + kind,
                        shape[0] + "x" + shape[1],
                        Double.NaN,
                        MatrixBatch.of(data, samples, shape[0], shape[1])));
            }
        }
        return out;
    }

    /** The prescribed-spectrum population: one batch per gap, then the repeated top value. */
    public static List<Subject> gap(StudyConfig config) {
        List<Subject> out = new ArrayList<>();
        int m = config.gapRows();
        int n = config.gapCols();
        int r = Math.min(m, n);
        for (int g = 0; g <= StudyConfig.GAPS.size(); g++) {
            boolean repeated = g == StudyConfig.GAPS.size();
            double rho = repeated ? 1.0 : StudyConfig.GAPS.get(g);
            double[] s = new double[r];
            for (int i = 0; i < r; i++) {
                s[i] = repeated ? (i < 2 ? 1 : 0.5 * Math.pow(0.9, i - 2)) : (i == 0 ? 1 : rho * Math.pow(0.9, i - 1));
            }
            float[] data = new float[config.gapSamples() * m * n];
            for (int b = 0; b < config.gapSamples(); b++) {
                long stream = 1000L * g + b;
                double[][] u = orthonormalColumns(m, r, new SeededGaussian(config.seed() + 202, 2 * stream));
                double[][] v = orthonormalColumns(n, r, new SeededGaussian(config.seed() + 202, 2 * stream + 1));
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double x = 0;
                        for (int k = 0; k < r; k++) {
                            x += u[k][i] * s[k] * v[k][j];
                        }
                        data[(b * m + i) * n + j] = (float) x;
                    }
                }
            }
            String group = repeated ? "repeated top" : "gap " + rho;
            out.add(new Subject("gap", group, m + "x" + n, rho, MatrixBatch.of(data, config.gapSamples(), m, n)));
        }
        return out;
    }

    /** The SN-GAN conv layers' weights, seeded per layer as the discriminator's. */
    public static List<ConvLayerSpec> snganLayers(StudyConfig config) {
        List<ConvLayerSpec> out = new ArrayList<>();
        int d = config.snganWidthDivisor();
        for (int l = 0; l < SNGAN.length; l++) {
            int[] c = SNGAN[l];
            int o = Math.max(1, c[0] / d);
            int in = l == 0 ? c[1] : Math.max(1, c[1] / d);
            float[] w = new float[o * in * c[2] * c[2]];
            SeededGaussian g = new SeededGaussian(config.seed(), l);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (0.02 * g.nextGaussian());
            }
            out.add(new ConvLayerSpec("conv" + (l + 1), w, o, in, c[2], c[3], 1, c[4]));
        }
        return out;
    }

    /** The SN-GAN population: each conv layer in the FILTERS reshape, and (a spread subset of) its SLICES. */
    public static List<Subject> sngan(StudyConfig config, List<ConvLayerSpec> layers) {
        List<Subject> out = new ArrayList<>();
        for (ConvLayerSpec l : layers) {
            String shape = l.out() + "x" + l.in() + "x" + l.kernel() + "x" + l.kernel();
            out.add(new Subject(
                    "sngan",
                    "sngan filters",
                    l.name() + " " + shape,
                    Double.NaN,
                    MatrixBatch.fromConvolution(
                            l.weight(), l.out(), l.in(), l.kernel(), l.kernel(), ConvolutionReshape.FILTERS)));
        }
        for (ConvLayerSpec l : layers) {
            MatrixBatch slices = MatrixBatch.fromConvolution(
                    l.weight(), l.out(), l.in(), l.kernel(), l.kernel(), ConvolutionReshape.SLICES);
            int total = slices.shape().batch();
            int keep = Math.min(total, config.maxSlices());
            int k2 = l.kernel() * l.kernel();
            float[] all = slices.toArray();
            float[] data = new float[keep * k2];
            for (int i = 0; i < keep; i++) {
                int from = (int) ((long) i * total / keep);
                System.arraycopy(all, from * k2, data, i * k2, k2);
            }
            out.add(new Subject(
                    "sngan",
                    "sngan slices",
                    l.name() + " " + keep + " of " + total + " slices",
                    Double.NaN,
                    MatrixBatch.of(data, keep, l.kernel(), l.kernel())));
        }
        return out;
    }

    /** r orthonormal vectors of length m (rows of the result), by twice-applied modified Gram–Schmidt. */
    static double[][] orthonormalColumns(int m, int r, SeededGaussian g) {
        double[][] q = new double[r][m];
        for (int k = 0; k < r; k++) {
            for (int i = 0; i < m; i++) {
                q[k][i] = g.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double dot = 0;
                    for (int i = 0; i < m; i++) {
                        dot += q[j][i] * q[k][i];
                    }
                    for (int i = 0; i < m; i++) {
                        q[k][i] -= dot * q[j][i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += q[k][i] * q[k][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) {
                q[k][i] /= norm;
            }
        }
        return q;
    }
}
