package dev.specnorm.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;

/**
 * The backend's CUDA C kernels ({@code kernels.cu}, a resource of this package), compiled once per engine
 * by NVRTC for the device's architecture ({@code sm_XY} machine code; {@code compute_XY} PTX for the
 * driver to compile when NVRTC does not know the architecture) and loaded into the current context
 * (the device's primary context, which cuBLAS and cuSOLVER share).
 */
final class Kernels implements AutoCloseable {

    /** Threads per block of every kernel (the reductions in kernels.cu assume it). */
    static final int THREADS = 256;
    /** Most blocks a grid-stride launch uses. */
    private static final int MAX_BLOCKS = 65535;

    /** The kernels of kernels.cu that the engine launches. */
    static final java.util.List<String> NAMES = java.util.List.of("deflate_store", "evaluate_sigma", "scale_by_sigma",
            "row_dot", "backward_coefficients", "fill_coefficients", "rank_update", "gram_rows", "gram_sum", "finish_output",
            "matvec_f64", "matvec_t_f64", "scale_to_unit");

    private final CUmodule module = new CUmodule();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final java.util.function.Supplier<CUstream> stream;
    private final String target;
    private long launches;

    /** Compiles and loads the kernels for compute capability major.minor; launches go to {@code stream}'s stream. */
    Kernels(int major, int minor, java.util.function.Supplier<CUstream> stream) {
        this.stream = stream;
        String source = source();
        byte[] image;
        String arch = "sm_" + major + minor;
        String compiled;
        try {
            image = compile(source, "--gpu-architecture=" + arch, true);
            compiled = arch + " machine code";
        } catch (CudaOperationException e) {
            arch = "compute_" + major + minor;
            image = compile(source, "--gpu-architecture=" + arch, false);
            compiled = arch + " PTX";
        }
        Status.driver(cuModuleLoadData(module, image), "cuModuleLoadData", "loading the kernels (" + compiled + ")");
        target = compiled;
        for (String name : NAMES) {
            CUfunction f = new CUfunction();
            Status.driver(cuModuleGetFunction(f, module, name), "cuModuleGetFunction", "finding kernel " + name);
            functions.put(name, f);
        }
    }

    /** What the kernels were compiled to, e.g. {@code sm_90 machine code}. */
    String target() {
        return target;
    }

    /** Kernel launches so far (for benchmarks that report launches per iteration). */
    long launches() {
        return launches;
    }

    /** Launches {@code name} with one block per item (at most {@value #MAX_BLOCKS}; kernels stride). */
    void perItem(String name, long items, Object... args) {
        launch(name, (int) Math.max(1, Math.min(items, MAX_BLOCKS)), args);
    }

    /** Launches {@code name} with enough blocks for one thread per element (kernels stride beyond the cap). */
    void perElement(String name, long elements, Object... args) {
        long blocks = (elements + THREADS - 1) / THREADS;
        launch(name, (int) Math.max(1, Math.min(blocks, MAX_BLOCKS * 16L)), args);
    }

    private void launch(String name, int blocks, Object... args) {
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Integer x) {
                params[i] = Pointer.to(new int[]{x});
            } else if (a instanceof Long x) {
                params[i] = Pointer.to(new long[]{x});
            } else if (a instanceof Double x) {
                params[i] = Pointer.to(new double[]{x});
            } else if (a instanceof Float x) {
                params[i] = Pointer.to(new float[]{x});
            } else if (a instanceof CUdeviceptr p) {
                params[i] = Pointer.to(p);
            } else if (a == null) {
                params[i] = Pointer.to(new long[]{0L});
            } else {
                throw new IllegalArgumentException("kernel argument of type " + a.getClass().getName());
            }
        }
        Status.driver(cuLaunchKernel(functions.get(name), blocks, 1, 1, THREADS, 1, 1, 0, stream.get(),
                Pointer.to(params), null), "cuLaunchKernel", "launching kernel " + name);
        launches++;
    }

    private static byte[] compile(String source, String archOption, boolean cubin) {
        nvrtcProgram program = new nvrtcProgram();
        Status.nvrtc(JNvrtc.nvrtcCreateProgram(program, source, "kernels.cu", 0, null, null),
                "nvrtcCreateProgram", "compiling the kernels");
        try {
            String[] options = {archOption, "--std=c++17"};
            int status = JNvrtc.nvrtcCompileProgram(program, options.length, options);
            if (status != jcuda.nvrtc.nvrtcResult.NVRTC_SUCCESS) {
                long[] logSize = new long[1];
                JNvrtc.nvrtcGetProgramLogSize(program, logSize);
                String[] log = new String[1];
                JNvrtc.nvrtcGetProgramLog(program, log);
                Status.nvrtc(status, "nvrtcCompileProgram", "compiling the kernels for " + archOption + ": "
                        + (log[0] == null ? "" : log[0].strip().replace('\n', ' ')));
            }
            if (cubin) {
                long[] size = new long[1];
                Status.nvrtc(JNvrtc.nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize", "reading the kernels");
                byte[] image = new byte[(int) size[0]];
                Status.nvrtc(JNvrtc.nvrtcGetCUBIN(program, image), "nvrtcGetCUBIN", "reading the kernels");
                return image;
            }
            long[] size = new long[1];
            Status.nvrtc(JNvrtc.nvrtcGetPTXSize(program, size), "nvrtcGetPTXSize", "reading the kernels");
            String[] ptx = new String[1];
            Status.nvrtc(JNvrtc.nvrtcGetPTX(program, ptx), "nvrtcGetPTX", "reading the kernels");
            byte[] text = ptx[0].getBytes(StandardCharsets.US_ASCII);
            byte[] image = java.util.Arrays.copyOf(text, text.length + 1);
            return image;
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    /** The kernels' CUDA C source. */
    static String source() {
        try (InputStream in = Kernels.class.getResourceAsStream("kernels.cu")) {
            if (in == null) {
                throw new IllegalStateException("resource dev/specnorm/cuda/kernels.cu is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        cuModuleUnload(module);
    }
}
