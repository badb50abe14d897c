/* A stand-in libcuda.so.1 for the loader tests: cuInit returns $SPECNORM_FAKE_CUINIT (default 0, success),
 * cuDeviceGetCount reports $SPECNORM_FAKE_DEVICES devices (default 1), named "Fake GPU", compute 9.0. */
#include <stdlib.h>
#include <string.h>
static int env(const char *name, int fallback) {
    const char *v = getenv(name);
    return v == NULL ? fallback : atoi(v);
}
int cuInit(unsigned int flags) { (void) flags; return env("SPECNORM_FAKE_CUINIT", 0); }
int cuDeviceGetCount(int *count) { *count = env("SPECNORM_FAKE_DEVICES", 1); return 0; }
int cuDriverGetVersion(int *version) { *version = 13000; return 0; }
int cuDeviceGet(int *device, int ordinal) { *device = ordinal; return 0; }
int cuDeviceGetName(char *name, int len, int device) { (void) device; strncpy(name, "Fake GPU", len); return 0; }
/* CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75, _MINOR = 76 */
int cuDeviceGetAttribute(int *value, int attribute, int device) {
    (void) device;
    *value = attribute == 75 ? 9 : 0;
    return attribute == 75 || attribute == 76 ? 0 : 1;
}
