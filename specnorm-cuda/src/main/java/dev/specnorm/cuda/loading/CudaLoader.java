package dev.specnorm.cuda.loading;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcusolver.JCusolver;
import jcuda.jcusolver.JCusolverDn;
import jcuda.nvrtc.JNvrtc;

/**
 * Loads the CUDA backend's natives once per JVM and says whether the backend can run, in one line.
 *
 * <p>Steps: (1) the NVIDIA driver's {@code libcuda.so.1} ({@code -Dspecnorm.cuda.driver}, else the first
 * found in the {@link LibrarySearch} order, which ends with the linker cache); (2) the CUDA math libraries: the CUDA 12 set the
 * JCuda 12.6 natives link (cuBLAS 12, cuSOLVER 11, NVRTC 12) if present, else CUDA 13's (cuBLAS 13,
 * cuSOLVER 12, NVRTC 13), each loaded by absolute path in dependency order, followed, for CUDA 13, by the
 * bundled forwarding libraries that present them under the CUDA 12 sonames (see
 * {@code src/main/native/build-natives.sh}); (3) JCuda's driver binding, {@code cuInit} and the device
 * count; (4) the JCublas, JCusolver (its native renamed to the core JCuda version at build time) and
 * JNvrtc natives. Every JCuda class is touched only here, behind one guard that catches linkage errors:
 * a class whose static initializer failed cannot be retried, so the first answer is kept.
 *
 * <p>{@code -Dspecnorm.cuda.libraryPath} adds directories searched first; with
 * {@code -Dspecnorm.cuda.explicitOnly=true} nothing else is searched (the tests' stand-in libraries).
 */
public final class CudaLoader {

    /** System property: the path of the {@code libcuda.so.1} to load. */
    public static final String DRIVER_PROPERTY = "specnorm.cuda.driver";
    /** System property: search only {@code specnorm.cuda.libraryPath}. */
    public static final String EXPLICIT_PROPERTY = "specnorm.cuda.explicitOnly";

    private static final String COMPAT = "/dev/specnorm/cuda/loading/linux-x86_64/";

    /** A set of CUDA libraries in load order; optional entries may be absent, prefix entries end in '*'. */
    private record LibrarySet(String name, List<String> required, List<String> optional, List<String[]> forwarded) {}

    private static final LibrarySet CUDA12 = new LibrarySet(
            "CUDA 12",
            List.of(
                    "libcublasLt.so.12",
                    "libcublas.so.12",
                    "libcusolver.so.11",
                    "libcusolverMg.so.11",
                    "libnvrtc.so.12"),
            List.of("libnvJitLink.so.12", "libcusparse.so.12", "libnvrtc-builtins.so.12*"),
            List.of());
    private static final LibrarySet CUDA13 = new LibrarySet(
            "CUDA 13",
            List.of(
                    "libcublasLt.so.13",
                    "libcublas.so.13",
                    "libnvJitLink.so.13",
                    "libcusparse.so.12",
                    "libcusolver.so.12",
                    "libcusolverMg.so.12",
                    "libnvrtc.so.13"),
            List.of("libnvrtc-builtins.so.13*"),
            List.of(
                    new String[] {"libcublas.so.12", "libcublas.so.13"},
                            new String[] {"libcusolver.so.11", "libcusolver.so.12"},
                    new String[] {"libcusolverMg.so.11", "libcusolverMg.so.12"},
                            new String[] {"libnvrtc.so.12", "libnvrtc.so.13"}));

    private static LoadResult result;

    private CudaLoader() {}

    /** Loads once (later calls return the first answer); never throws. */
    public static synchronized LoadResult load() {
        if (result == null) {
            Attempt a = new Attempt();
            try {
                result = a.run();
            } catch (Throwable t) {
                result = a.unavailable("loading the CUDA backend failed: " + oneLine(t));
            }
        }
        return result;
    }

    /** One loading attempt and its log. */
    private static final class Attempt {
        private final List<String> log = new ArrayList<>();
        private final List<String> unresolved = new ArrayList<>();
        private LoadingPath path = LoadingPath.NONE;

        LoadResult run() throws IOException {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "");
            if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
                return unavailable("the CUDA backend ships natives for linux-x86_64 only, this is " + os + "/" + arch);
            }
            LibrarySearch search = LibrarySearch.fromEnvironment(Boolean.getBoolean(EXPLICIT_PROPERTY));
            log.add("searching " + search.dirs());
            String driverProperty = System.getProperty(DRIVER_PROPERTY);
            Optional<Path> driver =
                    driverProperty != null ? Optional.of(Path.of(driverProperty)) : search.find("libcuda.so.1");
            if (driver.isPresent()) {
                try {
                    System.load(driver.get().toAbsolutePath().toString());
                    log.add("loaded the driver library " + driver.get());
                } catch (UnsatisfiedLinkError e) {
                    return unavailable("cannot load the NVIDIA driver library " + driver.get() + ": " + oneLine(e));
                }
            } else {
                return unavailable("no NVIDIA driver: libcuda.so.1 is not in " + search.brief()
                        + (search.usesLinkerCache() ? " nor the linker cache" : ""));
            }
            List<String> missing12 = missing(search, CUDA12);
            List<String> missing13 = missing(search, CUDA13);
            LibrarySet chosen;
            if (missing12.isEmpty()) {
                chosen = CUDA12;
                path = LoadingPath.CUDA12;
            } else if (missing13.isEmpty()) {
                if (Resources.resource(COMPAT + "libcublas.so.12") == null) {
                    return unavailable(
                            "only CUDA 13 libraries were found, and this build has no compatibility libraries "
                                    + "(gcc was missing when it was built); install the CUDA 12 libraries");
                }
                chosen = CUDA13;
                path = LoadingPath.CUDA13_COMPAT;
            } else {
                boolean none = missing12.size() == CUDA12.required().size()
                        && missing13.size() == CUDA13.required().size();
                return unavailable((none
                                ? "no CUDA 12 or 13 math libraries (cuBLAS, cuSOLVER, NVRTC)"
                                : "incomplete CUDA libraries: CUDA 12 lacks " + missing12 + ", CUDA 13 lacks "
                                        + missing13)
                        + " in " + search.brief() + (search.usesLinkerCache() ? " and the linker cache" : "")
                        + "; add yours with -D"
                        + LibrarySearch.PATH_PROPERTY);
            }
            log.add(
                    path == LoadingPath.CUDA12
                            ? "path CUDA12: the CUDA 12 libraries the JCuda natives were built for"
                            : "path CUDA13_COMPAT: no complete CUDA 12 set (lacks " + missing12 + "), CUDA 13 found; "
                                    + "forwarding the CUDA 12 sonames to it");
            Path where = null;
            for (String name : concat(chosen.required(), chosen.optional())) {
                Optional<Path> p = locate(search, name);
                if (p.isEmpty()) {
                    log.add("optional " + name + " not found");
                    continue;
                }
                System.load(p.get().toAbsolutePath().toString());
                log.add("loaded " + p.get());
                if (name.startsWith("libcublas.so")) {
                    where = p.get().getParent();
                }
            }
            if (path == LoadingPath.CUDA13_COMPAT) {
                Path dir = Files.createTempDirectory("specnorm-cuda-compat");
                dir.toFile().deleteOnExit();
                for (String[] pair : chosen.forwarded()) {
                    Path lib = dir.resolve(pair[0]);
                    try (InputStream in = Resources.resource(COMPAT + pair[0])) {
                        Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
                    }
                    lib.toFile().deleteOnExit();
                    System.load(lib.toString());
                    log.add("loaded compatibility library " + pair[0] + " → " + pair[1]);
                    unresolved.addAll(
                            unresolved(pair[0], locate(search, pair[1]).orElseThrow()));
                }
                log.add("functions the CUDA 13 libraries lack (they return 'not supported'): " + unresolved);
            }
            return bind(chosen, where);
        }

        /** Loads the JCuda bindings, initializes the driver and counts devices. */
        private LoadResult bind(LibrarySet chosen, Path where) {
            int status;
            try {
                JCudaDriver.setExceptionsEnabled(false);
                status = JCudaDriver.cuInit(0);
            } catch (Throwable t) {
                return unavailable("the NVIDIA driver could not be used (JCuda driver binding: " + oneLine(t)
                        + "); is an NVIDIA driver installed?");
            }
            if (status != CUresult.CUDA_SUCCESS) {
                return unavailable("cuInit failed with " + CUresult.stringFor(status) + " (" + status + ")"
                        + (status == CUresult.CUDA_ERROR_NO_DEVICE ? ": no CUDA device is visible" : ""));
            }
            int[] count = new int[1];
            status = JCudaDriver.cuDeviceGetCount(count);
            if (status != CUresult.CUDA_SUCCESS || count[0] == 0) {
                return unavailable(
                        status != CUresult.CUDA_SUCCESS
                                ? "cuDeviceGetCount failed with " + CUresult.stringFor(status)
                                : "no CUDA device");
            }
            try {
                JCublas2.initialize();
                JCusolver.initialize();
                // runs JCusolverDn's static initializer here, inside the guard, rather than in the engine
                Class.forName(JCusolverDn.class.getName(), true, CudaLoader.class.getClassLoader());
                int[] major = new int[1];
                int[] minor = new int[1];
                int nvrtcStatus = JNvrtc.nvrtcVersion(major, minor);
                log.add("NVRTC " + major[0] + "." + minor[0]
                        + (nvrtcStatus == 0 ? "" : " (nvrtcVersion returned " + nvrtcStatus + ")"));
            } catch (Throwable t) {
                return unavailable("the JCuda natives for cuBLAS, cuSOLVER or NVRTC failed to load: " + oneLine(t));
            }
            log.add("JCuda natives loaded");
            int[] driverVersion = new int[1];
            JCudaDriver.cuDriverGetVersion(driverVersion);
            CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, 0);
            int[] major = new int[1];
            int[] minor = new int[1];
            JCudaDriver.cuDeviceGetAttribute(
                    major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
            JCudaDriver.cuDeviceGetAttribute(
                    minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
            byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, device);
            int end = 0;
            while (end < name.length && name[end] != 0) {
                end++;
            }
            String reason = String.format(
                    Locale.ROOT,
                    "%s%s, compute %d.%d, driver API %d.%d, %s libraries%s from %s",
                    new String(name, 0, end, StandardCharsets.US_ASCII).strip(),
                    count[0] > 1 ? " (+" + (count[0] - 1) + " more)" : "",
                    major[0],
                    minor[0],
                    driverVersion[0] / 1000,
                    driverVersion[0] % 1000 / 10,
                    chosen.name(),
                    path == LoadingPath.CUDA13_COMPAT ? " through the compatibility libraries" : "",
                    where);
            log.add(reason);
            return new LoadResult(true, reason, path, log, unresolved);
        }

        LoadResult unavailable(String reason) {
            log.add(reason);
            return new LoadResult(false, reason, LoadingPath.NONE, log, unresolved);
        }

        private static List<String> missing(LibrarySearch search, LibrarySet set) {
            List<String> out = new ArrayList<>();
            for (String name : set.required()) {
                if (locate(search, name).isEmpty()) {
                    out.add(name);
                }
            }
            return out;
        }

        /** The names {@code forwarded} forwards that {@code target} does not define. */
        private List<String> unresolved(String forwarded, Path target) throws IOException {
            Set<String> defined = ElfSymbols.defined(target);
            Set<String> out = new TreeSet<>();
            try (InputStream in = Resources.resource(COMPAT + "forwarded-" + forwarded + ".txt")) {
                for (String name : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n", -1)) {
                    if (!name.isBlank() && !defined.contains(name.strip())) {
                        out.add(name.strip());
                    }
                }
            }
            return new ArrayList<>(out);
        }
    }

    private static Optional<Path> locate(LibrarySearch search, String name) {
        return name.endsWith("*") ? search.findPrefix(name.substring(0, name.length() - 1)) : search.find(name);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** A throwable as one line: its class and message, newlines removed. */
    static String oneLine(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName()
                + (m == null ? "" : ": " + m.replaceAll("\\s+", " ").strip());
    }

    /** Resource lookup, in a class of its own so that tests can read the same resources. */
    static final class Resources {
        private Resources() {}

        static InputStream resource(String name) {
            return CudaLoader.class.getResourceAsStream(name);
        }
    }
}
