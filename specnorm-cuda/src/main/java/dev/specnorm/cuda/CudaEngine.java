package dev.specnorm.cuda;

import static jcuda.driver.JCudaDriver.cuMemGetInfo;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.StateLayout;
import dev.specnorm.api.spi.AbstractEngine;
import dev.specnorm.api.spi.GramPenalty;
import dev.specnorm.cuda.Workspace.Slot;
import dev.specnorm.cuda.loading.CudaLoader;
import java.util.List;
import jcuda.driver.CUstream;

/**
 * The CUDA engine: every operation of SPEC.md on an NVIDIA GPU, through cuBLAS, cuSOLVER and the
 * backend's own kernels ({@code kernels.cu}, launched through {@link KernelLauncher}). It runs each call
 * under the device's lock, on the call's stream, and hands it to the class that computes it:
 * <ul>
 *   <li>{@link CudaPowerSweep}: power iteration (top-k with deflation, SRIP's Gram operator) and the
 *       spectral-normalization forward Ŵ = W / max(σ̂, eps);</li>
 *   <li>{@link CudaNormalizeBackward}: ∂L/∂W = (G − ⟨G, Ŵ⟩ u vᵀ) / σ̂;</li>
 *   <li>{@link CudaPenalties}: the Gram penalties (biggan, soft, double-soft, l1), SRIP β uᵀGv and the
 *       regularizer λσ̂², with their gradients;</li>
 *   <li>{@link CudaSvd}: exact SVD with cuSOLVER; {@link CudaLanczos}: σ₁ by Golub–Kahan–Lanczos.</li>
 * </ul>
 * Power-iteration state stays on the device ({@link CudaPowerState}); a call iterates on its second
 * buffer and commits after every matrix succeeded. Reductions run in a fixed order, so results do not
 * depend on timing, storage (host batch or device buffer) or other callers.
 *
 * <p>Threading: the engine is thread-safe. All its device work runs under one lock (calls from several
 * threads are served one at a time), on the engine's stream or, when an operand was wrapped with the
 * caller's stream ({@link #wrapDevice}), on that stream; each call synchronizes that stream once at its
 * end, so its outputs are complete when it returns.
 */
public final class CudaEngine extends AbstractEngine {

    /** The backend name. */
    public static final String NAME = "cuda";

    private final CudaDevice device;
    private final CudaPowerSweep sweep;
    private final CudaNormalizeBackward backward;
    private final CudaPenalties penalties;
    private final CudaSvd svd;
    private final CudaLanczos lanczos;

    /**
     * Starts an engine on device {@code ordinal}. The natives must have been loaded ({@link CudaLoader}).
     *
     * @throws CudaOperationException if the device, its context or a library handle cannot be set up
     */
    public CudaEngine(int ordinal) {
        super(NAME);
        device = new CudaDevice(ordinal);
        CudaBlas blas = new CudaBlas(device);
        sweep = new CudaPowerSweep(device, blas);
        backward = new CudaNormalizeBackward(device, blas);
        penalties = new CudaPenalties(device, blas, sweep);
        svd = new CudaSvd(device);
        lanczos = new CudaLanczos(device);
    }

    @Override
    public String description() {
        return device.description();
    }

    /** Kernel launches so far, for benchmarks that count launches per iteration (cuBLAS calls excluded). */
    public long kernelLaunches() {
        return device.kernelLaunches();
    }

    /** The device's free and total memory in bytes ({@code cuMemGetInfo}), for monitoring and soak tests. */
    public long[] deviceMemory() {
        return device.call(() -> {
            long[] free = new long[1];
            long[] total = new long[1];
            Status.driver(cuMemGetInfo(free, total), "cuMemGetInfo", "reading device memory");
            return new long[] {free[0], total[0]};
        });
    }

    @Override
    public BatchBuffer allocate(BatchShape shape) {
        return CudaBuffer.allocate(device, shape);
    }

    @Override
    public BatchBuffer wrapDevice(long address, BatchShape shape, long stream) {
        if (address == 0 || address % 4 != 0) {
            throw new IllegalArgumentException(
                    "device address 0x" + Long.toHexString(address) + " is null or not aligned to 4 bytes");
        }
        return CudaBuffer.wrap(device, address, shape, stream);
    }

    @Override
    public PowerState createState(StateLayout layout, float[] u, float[] v) {
        return new CudaPowerState(device, layout, u, v);
    }

    // ---------------------------------------------------------------- exact

    @Override
    public List<SingularDecomposition> svd(List<? extends Matrices> weights, boolean vectors) {
        return device.call(
                callerStream(weights),
                () -> svd.decompose(DeviceOperands.input(device, weights, Slot.WEIGHTS), vectors));
    }

    @Override
    public List<LanczosEstimate> lanczos(List<? extends Matrices> weights, LanczosOptions options) {
        return device.call(
                callerStream(weights),
                () -> lanczos.estimate(DeviceOperands.input(device, weights, Slot.WEIGHTS), options));
    }

    // ---------------------------------------------------------------- power iteration

    @Override
    public void initialize(List<? extends Matrices> weights, PowerState state, int warmup) {
        CudaPowerState s = (CudaPowerState) state;
        device.run(callerStream(weights), () -> sweep.initialize(weights, s, warmup));
    }

    @Override
    public float[] powerIteration(List<? extends Matrices> weights, PowerState state, int iterations) {
        CudaPowerState s = (CudaPowerState) state;
        return device.call(callerStream(weights), () -> sweep.powerIteration(weights, s, iterations));
    }

    @Override
    public float[] normalize(
            List<? extends Matrices> weights, PowerState state, int iterations, List<? extends Matrices> out) {
        CudaPowerState s = (CudaPowerState) state;
        return device.call(callerStream(weights, out), () -> sweep.normalize(weights, s, iterations, out));
    }

    @Override
    public void normalizeBackward(
            List<? extends Matrices> weights,
            PowerState state,
            List<? extends Matrices> gradOutput,
            List<? extends Matrices> out) {
        CudaPowerState s = (CudaPowerState) state;
        device.run(callerStream(weights, gradOutput, out), () -> backward.backward(weights, s, gradOutput, out));
    }

    // ---------------------------------------------------------------- penalties

    @Override
    public PenaltyResult spectralRegularizer(
            List<? extends Matrices> weights,
            PowerState state,
            int iterations,
            float lambda,
            List<? extends Matrices> gradient) {
        CudaPowerState s = (CudaPowerState) state;
        return device.call(
                callerStream(weights, gradient),
                () -> penalties.spectralRegularizer(weights, s, iterations, lambda, gradient));
    }

    @Override
    public PenaltyResult srip(
            List<? extends Matrices> weights,
            PowerState state,
            int iterations,
            float beta,
            List<? extends Matrices> gradient) {
        CudaPowerState s = (CudaPowerState) state;
        return device.call(
                callerStream(weights, gradient), () -> penalties.srip(weights, s, iterations, beta, gradient));
    }

    @Override
    protected double[] gramPenaltyTerms(
            List<? extends Matrices> weights, GramPenalty penalty, float beta, List<? extends Matrices> gradient) {
        return device.call(
                callerStream(weights, gradient), () -> penalties.orthogonalPenalty(weights, penalty, beta, gradient));
    }

    /**
     * The stream a call runs on: the caller's stream of the first wrapped buffer among the operands that has
     * one, or null (the engine's stream). Other wrapped buffers are ordered by {@link CudaBuffer#awaitCaller}.
     */
    @SafeVarargs
    private static CUstream callerStream(List<? extends Matrices>... lists) {
        for (List<? extends Matrices> list : lists) {
            if (list != null) {
                for (Matrices m : list) {
                    if (m instanceof CudaBuffer b && b.callerStream() != null) {
                        return b.callerStream();
                    }
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        device.close();
    }

    @Override
    public String toString() {
        return "CudaEngine[" + description() + "]";
    }
}
