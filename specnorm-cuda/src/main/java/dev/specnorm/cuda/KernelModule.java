package dev.specnorm.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;

/**
 * The backend's CUDA C kernels ({@code kernels.cu}, a resource of this package), compiled once per engine
 * by NVRTC for the device's architecture ({@code sm_XY} machine code; {@code compute_XY} PTX for the
 * driver to compile when NVRTC does not know the architecture) and loaded into the current context
 * (the device's primary context, which cuBLAS and cuSOLVER share). It runs the launches
 * {@link KernelLauncher} issues: every kernel in blocks of {@value KernelLauncher#THREADS} threads.
 */
final class KernelModule implements KernelLauncher.Sink, AutoCloseable {

    private final CUmodule module = new CUmodule();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final Supplier<CUstream> stream;
    private final String target;
    private long launches;

    /**
     * Compiles and loads the kernels for compute capability major.minor and finds the entry points
     * {@link KernelLauncher#NAMES}; launches go to {@code stream}'s stream.
     */
    KernelModule(int major, int minor, Supplier<CUstream> stream) {
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
        for (String name : KernelLauncher.NAMES) {
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

    @Override
    public void launch(String kernel, int blocks, KernelArgs args) {
        Status.driver(
                cuLaunchKernel(
                        functions.get(kernel),
                        blocks,
                        1,
                        1,
                        KernelLauncher.THREADS,
                        1,
                        1,
                        0,
                        stream.get(),
                        Pointer.to(args.parameters()),
                        null),
                "cuLaunchKernel",
                "launching kernel " + kernel);
        launches++;
    }

    private static byte[] compile(String source, String archOption, boolean cubin) {
        nvrtcProgram program = new nvrtcProgram();
        Status.nvrtc(
                JNvrtc.nvrtcCreateProgram(program, source, "kernels.cu", 0, null, null),
                "nvrtcCreateProgram",
                "compiling the kernels");
        try {
            String[] options = {archOption, "--std=c++17"};
            int status = JNvrtc.nvrtcCompileProgram(program, options.length, options);
            if (status != nvrtcResult.NVRTC_SUCCESS) {
                long[] logSize = new long[1];
                JNvrtc.nvrtcGetProgramLogSize(program, logSize);
                String[] log = new String[1];
                JNvrtc.nvrtcGetProgramLog(program, log);
                Status.nvrtc(
                        status,
                        "nvrtcCompileProgram",
                        "compiling the kernels for " + archOption + ": "
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
            byte[] image = Arrays.copyOf(text, text.length + 1);
            return image;
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    /** The kernels' CUDA C source. */
    static String source() {
        try (InputStream in = KernelModule.class.getResourceAsStream("kernels.cu")) {
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
