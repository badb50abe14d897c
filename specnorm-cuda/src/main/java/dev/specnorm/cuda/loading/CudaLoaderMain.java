package dev.specnorm.cuda.loading;

/**
 * Prints what {@link CudaLoader} found: {@code java -cp specnorm.jar dev.specnorm.cuda.loading.CudaLoaderMain}.
 * Lines: {@code available=}, {@code path=}, {@code reason=}, each log step as {@code log=}, and each function
 * the CUDA 13 libraries lack as {@code unresolved=}. Exit code 0 when available, 1 otherwise.
 */
public final class CudaLoaderMain {

    private CudaLoaderMain() {}

    /** Prints the load result. */
    public static void main(String[] args) {
        LoadResult r = CudaLoader.load();
        System.out.println("available=" + r.available());
        System.out.println("path=" + r.path());
        System.out.println("reason=" + r.reason());
        r.log().forEach(l -> System.out.println("log=" + l));
        r.unresolvedFunctions().forEach(f -> System.out.println("unresolved=" + f));
        System.exit(r.available() ? 0 : 1);
    }
}
