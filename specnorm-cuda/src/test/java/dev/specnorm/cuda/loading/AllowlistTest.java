package dev.specnorm.cuda.loading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * {@code cuda-functions.txt} lists exactly the CUDA library functions the CUDA backend calls, and every
 * function on it is exported by the CUDA 13.0 libraries. The calls are read from the compiled classes
 * (ASM): each static call into {@code JCublas2}, {@code JCusolverDn} or {@code JNvrtc} is mapped to the C
 * function JCuda's native imports for it ({@code name_v2} where cuBLAS has that versioned entry point, else
 * the name itself), using the import lists the build wrote beside the compatibility libraries; a call that
 * maps to no imported function and is not one of JCuda's Java-side helpers fails the test too.
 */
class AllowlistTest {

    private static final Map<String, String> BINDINGS = Map.of(
            "jcuda/jcublas/JCublas2", "libcublas.so.12",
            "jcuda/jcusolver/JCusolverDn", "libcusolver.so.11",
            "jcuda/nvrtc/JNvrtc", "libnvrtc.so.12");
    /** Java-side methods of the binding classes that call no CUDA function. */
    private static final Set<String> HELPERS = Set.of("initialize", "setExceptionsEnabled", "setLogLevel");

    private static final Map<String, String> CUDA13 = Map.of(
            "libcublas.so.12", "libcublas.so.13.exports",
            "libcusolver.so.11", "libcusolver.so.12.exports",
            "libnvrtc.so.12", "libnvrtc.so.13.exports");

    @Test
    void theBackendCallsOnlyAllowlistedFunctionsAndCuda13ExportsThemAll() throws IOException {
        Set<String> allowed = new TreeSet<>(lines(CudaLoader.class.getResourceAsStream("cuda-functions.txt")));
        Map<String, Set<String>> imports = new TreeMap<>();
        for (String lib : BINDINGS.values()) {
            InputStream in = CudaLoader.class.getResourceAsStream("linux-x86_64/forwarded-" + lib + ".txt");
            assumeTrue(in != null, "the build made no compatibility libraries (gcc missing)");
            imports.put(lib, new TreeSet<>(lines(in)));
        }
        Path classes;
        try {
            classes = Path.of(CudaLoader.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        assumeTrue(Files.isDirectory(classes), "the backend's classes are not a directory here: " + classes);
        Map<String, String> called = calls(classes);
        assertTrue(called.size() > 20, "found only " + called + " in the compiled classes");
        List<String> problems = new ArrayList<>();
        Set<String> calledC = new TreeSet<>();
        for (Map.Entry<String, String> c : called.entrySet()) {
            Set<String> lib = imports.get(c.getValue());
            String name = c.getKey();
            String cName = cFunction(lib, name);
            if (cName == null) {
                if (!HELPERS.contains(name)) {
                    problems.add(name + " (" + c.getValue() + ") maps to no function the JCuda native imports");
                }
                continue;
            }
            calledC.add(cName);
            if (!allowed.contains(cName)) {
                problems.add(cName + " (called as " + name + ") is not in cuda-functions.txt");
            }
        }
        for (String name : allowed) {
            if (!calledC.contains(name)) {
                problems.add(name + " is in cuda-functions.txt but the backend no longer calls it; remove it");
            }
            String lib = imports.entrySet().stream()
                    .filter(e -> e.getValue().contains(name))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse(null);
            if (lib == null) {
                problems.add(name + " is not imported by any JCuda native");
                continue;
            }
            Set<String> exported = new TreeSet<>(lines(getClass().getResourceAsStream("/cuda13/" + CUDA13.get(lib))));
            if (!exported.contains(name)) {
                problems.add(name + " is not exported by CUDA 13 (" + CUDA13.get(lib) + ")");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void javaMethodsMapToTheCFunctionsOfCublasV2() throws IOException {
        InputStream in = CudaLoader.class.getResourceAsStream("linux-x86_64/forwarded-libcublas.so.12.txt");
        assumeTrue(in != null, "the build made no compatibility libraries (gcc missing)");
        Set<String> cublas = new TreeSet<>(lines(in));
        // the legacy JCublas native imports cublasSgemm too; JCublas2.cublasSgemm calls cublasSgemm_v2
        assertTrue(
                cublas.contains("cublasSgemm") && cublas.contains("cublasSgemm_v2"),
                "imports changed: " + cublas.size());
        assertEquals("cublasSgemm_v2", cFunction(cublas, "cublasSgemm"));
        assertEquals("cublasCreate_v2", cFunction(cublas, "cublasCreate"));
        assertEquals("cublasSgemmStridedBatched", cFunction(cublas, "cublasSgemmStridedBatched"));
        assertEquals(null, cFunction(cublas, "initialize"));
    }

    /**
     * The C function a JCuda binding method calls, or null for a Java-side helper. JCuda's rule: the JCublas2
     * native is compiled against cublas_v2.h, whose macros turn {@code cublasX} into {@code cublasX_v2} wherever
     * that entry point exists (the legacy JCublas native imports plain {@code cublasX}); every other binding
     * method calls the C function of its own name.
     */
    private static String cFunction(Set<String> imported, String javaName) {
        return imported.contains(javaName + "_v2") ? javaName + "_v2" : imported.contains(javaName) ? javaName : null;
    }

    /** Method name → binding library of every static call into the JCuda binding classes. */
    private static Map<String, String> calls(Path classes) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                new ClassReader(Files.readAllBytes(f))
                        .accept(
                                new ClassVisitor(Opcodes.ASM9) {
                                    @Override
                                    public MethodVisitor visitMethod(
                                            int access,
                                            String name,
                                            String descriptor,
                                            String signature,
                                            String[] exceptions) {
                                        return new MethodVisitor(Opcodes.ASM9) {
                                            @Override
                                            public void visitMethodInsn(
                                                    int opcode, String owner, String method, String desc, boolean itf) {
                                                if (opcode == Opcodes.INVOKESTATIC && BINDINGS.containsKey(owner)) {
                                                    out.put(method, BINDINGS.get(owner));
                                                }
                                            }
                                        };
                                    }
                                },
                                ClassReader.SKIP_DEBUG);
            }
        }
        return out;
    }

    private static List<String> lines(InputStream in) throws IOException {
        try (in) {
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                int comment = line.indexOf('#');
                String s = (comment < 0 ? line : line.substring(0, comment)).strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        }
    }
}
