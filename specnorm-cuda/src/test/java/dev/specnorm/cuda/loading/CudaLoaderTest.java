package dev.specnorm.cuda.loading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loading paths end to end without a GPU, against stand-in libraries built here with gcc: a fake
 * {@code libcuda.so.1} (cuInit's status and the device count set by environment variables) and fake
 * CUDA 12 and CUDA 13 math libraries with their sonames and version nodes and a few entry points. Each
 * scenario runs {@link LoaderProbe} in a fresh JVM (loading is once per JVM) that sees only the stand-ins.
 */
class CudaLoaderTest {

    @TempDir
    static Path dir;

    private static Path driver;
    private static Path cuda12;
    private static Path cuda13;
    private static Path nothing;

    @BeforeAll
    static void buildStandIns() throws Exception {
        assumeTrue(onPath("gcc"), "gcc is not on the PATH");
        Path src = Path.of("src/test/native").toAbsolutePath();
        Path drivers = Files.createDirectories(dir.resolve("driver"));
        cuda12 = Files.createDirectories(dir.resolve("cuda12"));
        cuda13 = Files.createDirectories(dir.resolve("cuda13"));
        nothing = Files.createDirectories(dir.resolve("empty"));
        driver = drivers.resolve("libcuda.so.1");
        gcc(src.resolve("fake_cuda.c"), driver, null);
        for (Path d : List.of(cuda12, cuda13)) {
            boolean v13 = d == cuda13;
            String blas = v13 ? "libcublas.so.13" : "libcublas.so.12";
            gcc(
                    src.resolve("fake_cublas.c"),
                    d.resolve(blas),
                    blas,
                    "-DCUBLAS_FAKE_VERSION=" + (v13 ? 130001 : 120601));
            String nvrtc = v13 ? "libnvrtc.so.13" : "libnvrtc.so.12";
            gcc(src.resolve("fake_nvrtc.c"), d.resolve(nvrtc), nvrtc, "-DNVRTC_FAKE_MAJOR=" + (v13 ? 13 : 12));
            for (String solver : v13
                    ? List.of("libcusolver.so.12", "libcusolverMg.so.12")
                    : List.of("libcusolver.so.11", "libcusolverMg.so.11")) {
                gcc(src.resolve("fake_cusolver.c"), d.resolve(solver), solver);
            }
            for (String other : v13
                    ? List.of("libcublasLt.so.13", "libnvJitLink.so.13", "libcusparse.so.12")
                    : List.of("libcublasLt.so.12")) {
                gcc(src.resolve("fake_empty.c"), d.resolve(other), other);
            }
        }
    }

    @Test
    void noDriverIsUnavailableWithItsReason() throws Exception {
        Run r = probe(null, nothing, Map.of());
        assertTrue(r.has("available=false") && r.has("path=NONE"), r.output);
        assertTrue(r.reason().contains("no NVIDIA driver: libcuda.so.1 is not in " + nothing), r.output);
        assertTrue(r.has("exit=clean"), r.output);
    }

    @Test
    void anUnloadableDriverIsUnavailableWithTheLinkersMessage() throws Exception {
        Path broken =
                Files.writeString(Files.createDirectories(dir.resolve("broken")).resolve("libcuda.so.1"), "not ELF\n");
        Run r = probe(broken, cuda13, Map.of());
        assertTrue(r.has("available=false"), r.output);
        assertTrue(
                r.reason()
                        .startsWith(
                                "reason=cannot load the NVIDIA driver library " + broken + ": UnsatisfiedLinkError"),
                r.output);
        assertTrue(r.has("exit=clean"), r.output);
    }

    @Test
    void noMathLibrariesIsUnavailableNamingThem() throws Exception {
        Run r = probe(driver, nothing, Map.of());
        assertTrue(r.has("available=false"), r.output);
        assertTrue(
                r.reason().contains("no CUDA 12 or 13 math libraries (cuBLAS, cuSOLVER, NVRTC) in " + nothing),
                r.output);
    }

    @Test
    void aMissingCublasIsUnavailableNamingIt() throws Exception {
        Path partial = Files.createDirectories(dir.resolve("cuda13-no-cublas"));
        try (var files = Files.list(cuda13)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().startsWith("libcublas.so")) {
                    Files.copy(f, partial.resolve(f.getFileName()));
                }
            }
        }
        Run r = probe(driver, partial, Map.of());
        assertTrue(r.has("available=false"), r.output);
        assertTrue(r.reason().contains("CUDA 13 lacks [libcublas.so.13]"), r.output);
        assertTrue(r.has("exit=clean"), r.output);
    }

    @Test
    void noDeviceIsUnavailableWithTheDriversStatus() throws Exception {
        Run r = probe(driver, cuda13, Map.of("SPECNORM_FAKE_CUINIT", "100"));
        assertTrue(r.has("available=false"), r.output);
        assertTrue(r.reason().contains("cuInit failed with CUDA_ERROR_NO_DEVICE (100)"), r.output);
        Run zero = probe(driver, cuda12, Map.of("SPECNORM_FAKE_DEVICES", "0"));
        assertTrue(zero.has("available=false"), zero.output);
        assertTrue(zero.reason().equals("reason=no CUDA device"), zero.output);
    }

    @Test
    void cuda12LibrariesAreUsedDirectly() throws Exception {
        Run r = probe(driver, cuda12, Map.of());
        assertTrue(r.has("available=true"), r.output);
        assertTrue(r.has("path=CUDA12"), r.output);
        assertTrue(r.has("log=path CUDA12: the CUDA 12 libraries the JCuda natives were built for"), r.output);
        assertTrue(r.has("version=120601") && r.has("solver-create=0") && r.has("nvrtc=12"), r.output);
        assertTrue(
                r.reason().equals("reason=Fake GPU, compute 9.0, driver API 13.0, CUDA 12 libraries from " + cuda12),
                r.output);
        assertTrue(r.output.lines().noneMatch(l -> l.startsWith("unresolved=")), r.output);
    }

    @Test
    void cuda12IsPreferredWhenBothAreInstalled() throws Exception {
        Run r = probe(driver, Path.of(cuda13 + File.pathSeparator + cuda12), Map.of());
        assertTrue(r.has("available=true") && r.has("path=CUDA12") && r.has("version=120601"), r.output);
    }

    @Test
    void cuda13GoesThroughTheCompatibilityLibrariesAndMissingFunctionsReturnAStatus() throws Exception {
        Run r = probe(driver, cuda13, Map.of());
        assertTrue(r.has("available=true"), r.output);
        assertTrue(r.has("path=CUDA13_COMPAT"), r.output);
        assertTrue(
                r.reason()
                        .equals("reason=Fake GPU, compute 9.0, driver API 13.0, CUDA 13 libraries through the "
                                + "compatibility libraries from " + cuda13),
                r.output);
        assertTrue(r.output.contains("log=path CUDA13_COMPAT"), r.output);
        // calls the CUDA 13 stand-ins export reach them
        assertTrue(r.has("create=0"), r.output);
        assertTrue(r.has("version=130001"), "cublasGetVersion_v2 reached the CUDA 13 stand-in: " + r.output);
        assertTrue(r.has("solver-create=0"), "cusolverDnCreate through the renamed JCusolver native: " + r.output);
        assertTrue(r.has("nvrtc=13"), r.output);
        // calls to functions they lack return the library's "not supported" status instead of ending the process
        assertTrue(r.has("missing-status=15"), "CUBLAS_STATUS_NOT_SUPPORTED: " + r.output);
        assertTrue(r.has("solver-missing-status=9"), "CUSOLVER_STATUS_NOT_SUPPORTED: " + r.output);
        assertTrue(r.has("nvrtc-missing-status=11"), "NVRTC_ERROR_INTERNAL_ERROR: " + r.output);
        assertTrue(r.has("exit=clean"), r.output);
        // and the report names exactly those as unresolved
        for (String missing : List.of("cublasSetPointerMode_v2", "cusolverDnSetStream", "nvrtcGetNVVMSize")) {
            assertTrue(r.has("unresolved=" + missing), missing + " " + r.output);
        }
        for (String present : List.of("cublasCreate_v2", "cublasGetVersion_v2", "cusolverDnCreate", "nvrtcVersion")) {
            assertTrue(!r.has("unresolved=" + present), present + " " + r.output);
        }
    }

    /** The output of one child JVM. */
    private record Run(String output) {
        boolean has(String line) {
            return output.lines().anyMatch(line::equals);
        }

        String reason() {
            return output.lines()
                    .filter(l -> l.startsWith("reason="))
                    .findFirst()
                    .orElse("");
        }
    }

    private static Run probe(Path driverLib, Path libraries, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.io.tmpdir=" + Files.createTempDirectory(dir, "jvm"));
        cmd.add("-D" + CudaLoader.EXPLICIT_PROPERTY + "=true");
        cmd.add("-D" + LibrarySearch.PATH_PROPERTY + "=" + libraries);
        if (driverLib != null) {
            cmd.add("-D" + CudaLoader.DRIVER_PROPERTY + "=" + driverLib);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LoaderProbe.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("LD_LIBRARY_PATH");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe did not finish:\n" + out);
        assertEquals(0, p.exitValue(), "the probe JVM crashed or failed:\n" + out);
        return new Run(out);
    }

    private static void gcc(Path source, Path out, String soname, String... defines)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-o", out.toString()));
        cmd.addAll(List.of(defines));
        if (soname != null) {
            Path map = out.resolveSibling(soname + ".map");
            Files.writeString(map, soname + " { global: *; };\n");
            cmd.add("-Wl,-soname," + soname);
            cmd.add("-Wl,--version-script=" + map);
        } else {
            cmd.add("-Wl,-soname,libcuda.so.1");
        }
        cmd.add(source.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "gcc failed: " + log);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator, -1)) {
                if (Files.isExecutable(Path.of(d, program))) {
                    return true;
                }
            }
        }
        return false;
    }
}
