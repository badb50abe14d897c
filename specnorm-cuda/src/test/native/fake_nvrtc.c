/* A stand-in NVRTC (libnvrtc.so.12/.13). */
int nvrtcVersion(int *major, int *minor) { *major = NVRTC_FAKE_MAJOR; *minor = 0; return 0; }
