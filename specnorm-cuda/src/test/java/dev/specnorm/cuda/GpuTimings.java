package dev.specnorm.cuda;

import dev.specnorm.api.Backends;
import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.TestMatrices;
import dev.specnorm.cuda.loading.CudaLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The GPU timing workloads (docs/GPU.md) timed on one backend ({@code cuda} or {@code cpu}), for the comparison against
 * PyTorch on the same GPU: medians of host-synchronized timers after warm-up (every call of the CUDA
 * backend ends with a stream synchronization), operands resident in backend buffers. Prints one JSON
 * object per workload. Usage: {@code GpuTimings <backend> [quick]}.
 */
public final class GpuTimings {

    /** The SN-GAN standard CNN discriminator's layers in the FILTERS reshape (out × in·k·k), and the dense layer. */
    static final int[][] SNGAN = {
        {64, 27}, {64, 1024}, {128, 576}, {128, 2048}, {256, 1152}, {256, 4096}, {512, 2304}, {1, 8192}
    };

    private final SpectralBackend backend;
    private final CudaEngine engine;
    private final boolean quick;

    private GpuTimings(SpectralBackend backend, CudaEngine engine, boolean quick) {
        this.backend = backend;
        this.engine = engine;
        this.quick = quick;
    }

    /** Times every workload on {@code args[0]} ({@code cuda} or {@code cpu}); {@code args[1] = quick} for fewer sizes. */
    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "cuda";
        boolean quick = args.length > 1 && args[1].equals("quick");
        CudaEngine engine = name.equals("cuda") && CudaLoader.load().available() ? new CudaEngine(0) : null;
        try (SpectralBackend b = engine != null ? SpectralBackend.forEngine(engine) : Backends.open(name)) {
            System.err.println("timing on " + b.name() + ": " + b.description());
            new GpuTimings(b, engine, quick).all();
        }
    }

    private void all() {
        power(64, 1024, 1024);
        if (!quick) {
            power(1, 4096, 4096);
        }
        sngan();
        svdvals(262_144, 3, 3);
        svdvals(4096, 32, 32);
        biggan();
        for (int n : quick ? new int[] {256, 1024} : new int[] {256, 1024, 4096, 8192}) {
            exactSigma(n);
        }
    }

    private void power(int batch, int m, int n) {
        try (BatchBuffer w = backend.upload(TestMatrices.gaussian(1, batch, m, n, 1.0));
                PowerState s = backend.newPowerState(w, PowerOptions.DEFAULT.withWarmup(1))) {
            double ms = median(() -> backend.powerIteration(w, s, 1), 30);
            double bytes = 2.0 * batch * m * n * 4;
            emit(
                    "power " + batch + "x" + m + "x" + n,
                    ms,
                    String.format(Locale.ROOT, "\"gbps\": %.1f", bytes / ms / 1e6));
        }
    }

    private void sngan() {
        List<BatchBuffer> ws = new ArrayList<>();
        for (int i = 0; i < SNGAN.length; i++) {
            ws.add(backend.upload(TestMatrices.gaussian(10 + i, 1, SNGAN[i][0], SNGAN[i][1], 0.02)));
        }
        List<BatchBuffer> outs = new ArrayList<>();
        for (BatchBuffer w : ws) {
            outs.add(backend.allocate(w.shape()));
        }
        try (PowerState s = backend.newPowerState(ws, PowerOptions.DEFAULT.withWarmup(1))) {
            long launches = launches();
            backend.powerIteration(ws, s, 10);
            double perIteration = (launches() - launches) / 10.0;
            double ms = median(() -> backend.powerIteration(ws, s, 1), 50);
            emit(
                    "sngan power step (8 layers)",
                    ms,
                    String.format(
                            Locale.ROOT,
                            "\"kernel_launches_per_iteration\": %.1f, \"cublas_calls_per_iteration\": %d",
                            perIteration,
                            2 * SNGAN.length));
            double nms = median(() -> backend.normalize(ws, s, 1, outs), 50);
            emit("sngan normalize (8 layers)", nms, "\"note\": \"1 iteration + W/sigma\"");
        } finally {
            ws.forEach(BatchBuffer::close);
            outs.forEach(BatchBuffer::close);
        }
    }

    private void svdvals(int batch, int m, int n) {
        try (BatchBuffer w = backend.upload(TestMatrices.gaussian(2, batch, m, n, 1.0))) {
            double ms = median(() -> backend.svd(List.of(w), false), quick ? 3 : 7);
            emit("svdvals " + batch + "x" + m + "x" + n, ms, "\"note\": \"values only\"");
        }
    }

    private void biggan() {
        List<BatchBuffer> ws = new ArrayList<>();
        List<BatchBuffer> gs = new ArrayList<>();
        for (int i = 0; i < SNGAN.length; i++) {
            ws.add(backend.upload(TestMatrices.gaussian(20 + i, 1, SNGAN[i][0], SNGAN[i][1], 0.02)));
            gs.add(backend.allocate(ws.get(i).shape()));
        }
        double ms = median(() -> backend.orthogonalPenalty(ws, Penalty.BIGGAN, 1e-4f, gs), 30);
        emit("biggan penalty+grad (8 layers)", ms, "\"note\": \"loss and gradient\"");
        try (BatchBuffer big = backend.upload(TestMatrices.gaussian(30, 1, 512, 4608, 0.02));
                BatchBuffer g = backend.allocate(big.shape())) {
            emit(
                    "biggan penalty+grad 512x4608",
                    median(() -> backend.orthogonalPenalty(List.of(big), Penalty.BIGGAN, 1e-4f, List.of(g)), 30),
                    "\"note\": \"a 512->512 3x3 conv\"");
        }
        ws.forEach(BatchBuffer::close);
        gs.forEach(BatchBuffer::close);
    }

    private void exactSigma(int n) {
        try (BatchBuffer w = backend.upload(TestMatrices.gaussian(3, 1, n, n, 1.0))) {
            int reps = n >= 4096 ? 1 : 5;
            emit(
                    "exact sigma " + n + "x" + n,
                    median(() -> backend.spectralNorm(w), reps),
                    "\"note\": \"gesvd values\"");
            emit("lanczos sigma " + n + "x" + n, median(() -> backend.lanczos(w), reps), "\"note\": \"tol 1e-6\"");
        }
    }

    private long launches() {
        return engine == null ? 0 : engine.kernelLaunches();
    }

    private double median(Runnable r, int reps) {
        r.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    private void emit(String workload, double ms, String extra) {
        System.out.printf(
                Locale.ROOT,
                "{\"workload\": \"%s\", \"backend\": \"%s\", \"median_ms\": %.4f, %s}%n",
                workload,
                backend.name(),
                ms,
                extra);
        System.out.flush();
    }
}
