package dev.specnorm.cuda.loading;

import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcusolver.JCusolverDn;
import jcuda.jcusolver.cusolverDnHandle;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.runtime.cudaStream_t;

/**
 * The child process of {@link CudaLoaderTest}: loads, prints the result as CudaLoaderMain does, and when
 * the backend is available calls each library through JCuda: functions the stand-in libraries export
 * ({@code cublasCreate_v2}, {@code cublasGetVersion_v2}, {@code cusolverDnCreate}, {@code nvrtcVersion}) and,
 * through the compatibility libraries, functions they do not export ({@code cublasSetPointerMode_v2},
 * {@code cusolverDnSetStream}, and {@code nvrtcGetNVVMSize}, which the real NVRTC 13 lacks too). Without
 * forwarding such a call would end the process with a symbol lookup error; the last line says it did not.
 */
public final class LoaderProbe {

    private LoaderProbe() {}

    public static void main(String[] args) {
        LoadResult r = CudaLoader.load();
        System.out.println("available=" + r.available());
        System.out.println("path=" + r.path());
        System.out.println("reason=" + r.reason());
        r.log().forEach(l -> System.out.println("log=" + l));
        r.unresolvedFunctions().forEach(f -> System.out.println("unresolved=" + f));
        if (r.available()) {
            cublasHandle h = new cublasHandle();
            System.out.println("create=" + JCublas2.cublasCreate(h));
            int[] version = new int[1];
            System.out.println("version-status=" + JCublas2.cublasGetVersion(h, version));
            System.out.println("version=" + version[0]);
            cusolverDnHandle solver = new cusolverDnHandle();
            System.out.println("solver-create=" + JCusolverDn.cusolverDnCreate(solver));
            int[] major = new int[1];
            int[] minor = new int[1];
            System.out.println("nvrtc-status=" + JNvrtc.nvrtcVersion(major, minor));
            System.out.println("nvrtc=" + major[0]);
            if (r.path() == LoadingPath.CUDA13_COMPAT) {
                System.out.println("missing-status=" + JCublas2.cublasSetPointerMode(h, 0));
                System.out.println(
                        "solver-missing-status=" + JCusolverDn.cusolverDnSetStream(solver, new cudaStream_t()));
                System.out.println("nvrtc-missing-status=" + JNvrtc.nvrtcGetNVVMSize(new nvrtcProgram(), new long[1]));
            }
        }
        System.out.println("exit=clean");
    }
}
