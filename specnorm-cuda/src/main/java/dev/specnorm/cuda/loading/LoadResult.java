package dev.specnorm.cuda.loading;

import java.util.List;

/**
 * The outcome of loading the CUDA backend's natives, once per JVM.
 *
 * @param available           whether the backend can start
 * @param reason              one line: what was found (device, driver, libraries, path) or why the
 *                            backend cannot run here
 * @param path                which libraries were linked
 * @param log                 every step taken, for {@code specnorm backends --verbose} and bug reports
 * @param unresolvedFunctions on {@link LoadingPath#CUDA13_COMPAT}: the functions the JCuda natives import
 *                            that the CUDA 13 libraries do not export (calls to them return the library's
 *                            "not supported" status); empty otherwise
 */
public record LoadResult(
        boolean available, String reason, LoadingPath path, List<String> log, List<String> unresolvedFunctions) {

    /** Copies the lists. */
    public LoadResult {
        log = List.copyOf(log);
        unresolvedFunctions = List.copyOf(unresolvedFunctions);
    }
}
