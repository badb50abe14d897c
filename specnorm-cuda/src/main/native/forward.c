/*
 * The binding half of a CUDA 13 compatibility library (build-natives.sh generates the other half: the
 * names, the trampolines `name: jmp *specnorm_slots+8i(%rip)`, and the version script). At load time the
 * constructor resolves every forwarded name in the CUDA 13 library TARGET, which the Java loader loaded
 * before this library; a name TARGET does not export is bound to a stub that returns MISSING_STATUS, the
 * library's "not supported" status, so a call to it fails cleanly instead of aborting the process.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

__attribute__((visibility("hidden"))) void *specnorm_slots[COUNT];

static int specnorm_missing(void) {
    return MISSING_STATUS;
}

__attribute__((constructor)) static void specnorm_bind(void) {
    void *target = dlopen(TARGET, RTLD_NOW | RTLD_NOLOAD);
    if (target == NULL) {
        target = dlopen(TARGET, RTLD_NOW | RTLD_GLOBAL);
    }
    for (size_t i = 0; i < COUNT; i++) {
        void *f = target == NULL ? NULL : dlsym(target, NAMES[i]);
        specnorm_slots[i] = f != NULL ? f : (void *) specnorm_missing;
    }
}
