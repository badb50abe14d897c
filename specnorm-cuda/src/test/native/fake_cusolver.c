/* A stand-in cuSOLVER (libcusolver.so.11/.12) or cuSOLVER Mg: a version query and cusolverDnCreate. The
 * CUDA 13 stand-in lacks cusolverDnSetStream, which the loader test calls through the compatibility library. */
int cusolverGetVersion(int *version) { *version = 12000; return 0; }
int cusolverDnCreate(void **handle) { *handle = (void *) 0x501e; return 0; }
