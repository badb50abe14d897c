package dev.specnorm.cuda;

import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.spi.GolubKahanLanczos;
import dev.specnorm.api.spi.ResultChecks;
import dev.specnorm.cuda.Workspace.Slot;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdeviceptr;

/**
 * σ₁ by Golub–Kahan–Lanczos bidiagonalization (SPEC.md "Lanczos"; Golub &amp; Kahan 1965) with W on the
 * GPU: the iteration is the SPI's {@link GolubKahanLanczos} (one implementation for every backend),
 * and its products W x and Wᵀy run on the device in float64 ({@code matvec_f64}, {@code matvec_t_f64}).
 * The Lanczos vectors, the full reorthogonalization against them and the small bidiagonal problem stay
 * on the host: each step moves two vectors (n + m doubles) and synchronizes twice.
 */
final class CudaLanczos {

    private final CudaDevice device;
    private final GolubKahanLanczos iteration = new GolubKahanLanczos();

    CudaLanczos(CudaDevice device) {
        this.device = device;
    }

    /** σ̂₁ of every matrix of {@code w}. Under the device lock. */
    List<LanczosEstimate> estimate(DeviceOperands w, LanczosOptions options) {
        List<LanczosEstimate> out = new ArrayList<>(w.count());
        for (int k = 0; k < w.count(); k++) {
            out.add(iteration.estimate(k, new DeviceOperator(w, k), options));
        }
        return out;
    }

    /** Matrix k of a call as the iteration's operator. */
    private final class DeviceOperator implements GolubKahanLanczos.Operator {
        private final DeviceOperands w;
        private final int k;
        private final int m;
        private final int n;
        private final CUdeviceptr in;
        private final CUdeviceptr result;
        private float[] host;

        DeviceOperator(DeviceOperands w, int k) {
            this.w = w;
            this.k = k;
            this.m = w.rows(k);
            this.n = w.cols(k);
            int big = Math.max(m, n);
            in = device.workspace().doubles(Slot.LEFT, big);
            result = device.workspace().doubles(Slot.RIGHT, big);
        }

        @Override
        public int rows() {
            return m;
        }

        @Override
        public int cols() {
            return n;
        }

        @Override
        public void multiply(double[] x, int xo, double[] out) {
            device.upload(x, xo, n, in);
            device.kernels().matvecF64(m, n, w.matrix(k), in, result);
            device.downloadDoubles(result, out, m);
        }

        @Override
        public void multiplyTransposed(double[] y, int yo, double[] out) {
            device.upload(y, yo, m, in);
            device.kernels().matvecTF64(m, n, w.matrix(k), in, result);
            device.downloadDoubles(result, out, n);
        }

        @Override
        public int largestRow() {
            return GolubKahanLanczos.largestRow(host(), 0, m, n);
        }

        @Override
        public void row(int i, double[] out) {
            float[] a = host();
            for (int j = 0; j < n; j++) {
                out[j] = a[i * n + j];
            }
        }

        @Override
        public boolean isFinite() {
            float[] a = host();
            return ResultChecks.inputIsFinite(a, 0, a.length);
        }

        /** The matrix on the host, for the rare paths (zero start product, a failure): downloaded once. */
        private float[] host() {
            if (host == null) {
                host = w.download(k);
            }
            return host;
        }
    }
}
