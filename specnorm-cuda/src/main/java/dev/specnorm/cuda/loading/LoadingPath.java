package dev.specnorm.cuda.loading;

/** Which CUDA libraries the JCuda natives were linked against. */
public enum LoadingPath {
    /** Nothing was loaded: the backend is unavailable. */
    NONE,
    /** The CUDA 12 libraries the JCuda 12.6 natives were built for (cuBLAS 12, cuSOLVER 11, NVRTC 12). */
    CUDA12,
    /** CUDA 13's libraries (cuBLAS 13, cuSOLVER 12, NVRTC 13) behind the bundled forwarding libraries. */
    CUDA13_COMPAT
}
