/* A stand-in cuBLAS with two entry points (built as libcublas.so.12 or .so.13 with that version node). */
int cublasCreate_v2(void **handle) { *handle = (void *) 0x5eed; return 0; }
int cublasGetVersion_v2(void *handle, int *version) { (void) handle; *version = CUBLAS_FAKE_VERSION; return 0; }
