package dev.specnorm.cuda.loading;

import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;

/**
 * The child process of {@link CudaLoaderTest}: loads, prints the result as CudaLoaderMain does, and when
 * the backend is available calls cuBLAS through JCuda: one function the stand-in library exports
 * ({@code cublasGetVersion_v2}) and, through the compatibility libraries, one it does not ({@code cublasSetPointerMode_v2}).
 */
public final class LoaderProbe {

    private LoaderProbe() {
    }

    public static void main(String[] args) {
        LoadResult r = CudaLoader.load();
        System.out.println("available=" + r.available());
        System.out.println("path=" + r.path());
        System.out.println("reason=" + r.reason());
        r.unresolvedFunctions().forEach(f -> System.out.println("unresolved=" + f));
        if (r.available()) {
            cublasHandle h = new cublasHandle();
            System.out.println("create=" + JCublas2.cublasCreate(h));
            int[] version = new int[1];
            System.out.println("version-status=" + JCublas2.cublasGetVersion(h, version));
            System.out.println("version=" + version[0]);
            if (r.path() == LoadingPath.CUDA13_COMPAT) {
                // without forwarding (CUDA 12) a function the library lacks would end the process
                System.out.println("missing-status=" + JCublas2.cublasSetPointerMode(h, 0));
            }
        }
        System.out.println("exit=clean");
    }
}
