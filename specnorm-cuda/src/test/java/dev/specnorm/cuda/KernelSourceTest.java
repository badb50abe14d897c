package dev.specnorm.cuda;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.specnorm.cuda.KernelDeclarations.Kernel;
import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA C kernels and their Java side, checked without a GPU:
 * <ul>
 *   <li>{@link KernelLauncher} has one method per {@code extern "C" __global__} kernel of kernels.cu
 *       (read from the resource the engine compiles), named after it, with the kernel's parameter count
 *       and types in order (pointer, int, long long, float, double); each method launches its kernel by
 *       name with exactly its arguments, in order and of those types, on the grid the engine has always
 *       used for it ({@link #GRIDS});</li>
 *   <li>the check above fails when a kernel's declaration changes (mutated copies of the source);</li>
 *   <li>kernels.cu compiles with {@code nvcc -ptx} for Hopper (sm_90) and defines every kernel the engine
 *       looks up, wherever {@code nvcc} is on the PATH (the CI machine has it; skipped elsewhere).</li>
 * </ul>
 */
class KernelSourceTest {

    /**
     * Each kernel's grid: one block per item (argument {@code argument}), or one thread per element where
     * a row has {@code threadsPer} threads (32: a warp per row).
     */
    private static final Map<String, Grid> GRIDS = Map.ofEntries(
            entry("deflate_store", Grid.perItem(0)),
            entry("evaluate_sigma", Grid.perItem(0)),
            entry("scale_by_sigma", Grid.perElement(0, 1)),
            entry("row_dot", Grid.perElement(0, 32)),
            entry("backward_coefficients", Grid.perItem(0)),
            entry("fill_coefficients", Grid.perElement(0, 1)),
            entry("rank_update", Grid.perElement(0, 1)),
            entry("gram_rows", Grid.perElement(0, 32)),
            entry("gram_sum", Grid.perItem(0)),
            entry("finish_output", Grid.perElement(0, 1)),
            entry("matvec_f64", Grid.perElement(0, 32)),
            entry("matvec_t_f64", Grid.perElement(1, 1)),
            entry("scale_to_unit", Grid.perItem(0)));

    private record Grid(boolean perItem, int argument, long threadsPer) {
        static Grid perItem(int argument) {
            return new Grid(true, argument, 1);
        }

        static Grid perElement(int argument, long threadsPer) {
            return new Grid(false, argument, threadsPer);
        }

        int blocks(List<Object> args) {
            long x = ((Number) args.get(argument)).longValue() * threadsPer;
            long blocks = perItem ? Math.min(x, 65535) : Math.min((x + 255) / 256, 65535L * 16);
            return (int) Math.max(1, blocks);
        }
    }

    private record Launch(String kernel, int blocks, KernelArgs args) {}

    @Test
    void theLauncherHasOneMethodPerKernelWithTheKernelsParameterTypes() {
        List<Kernel> kernels = KernelDeclarations.parse(KernelModule.source());
        assertEquals(13, kernels.size(), "kernels.cu: " + kernels);
        assertEquals(List.of(), mismatches(kernels));
    }

    @Test
    void theCheckFailsWhenADeclarationChanges() {
        String source = KernelModule.source();
        String typeChanged = replaceOnce(
                source,
                "scratch, float* __restrict__ rows, int j, int K,",
                "scratch, float* __restrict__ rows, long long j, int K,");
        assertEquals(
                List.of("deflate_store: kernels.cu has [INT, POINTER, POINTER, POINTER, POINTER, LONG, INT, INT, "
                        + "POINTER, POINTER], KernelLauncher.deflateStore has [INT, POINTER, POINTER, POINTER, POINTER, INT, "
                        + "INT, INT, POINTER, POINTER]"),
                mismatches(KernelDeclarations.parse(typeChanged)));
        String pointerToValue = replaceOnce(source, "double value,", "double* value,");
        assertEquals(1, mismatches(KernelDeclarations.parse(pointerToValue)).size());
        String added = replaceOnce(source, "int aStride, int bStride,", "int aStride, int bStride, int cStride,");
        assertEquals(1, mismatches(KernelDeclarations.parse(added)).size());
        String removed = replaceOnce(source, "void gram_sum(int count, int r,", "void gram_sum(int r,");
        assertEquals(1, mismatches(KernelDeclarations.parse(removed)).size());
        String renamed = replaceOnce(source, "void finish_output(", "void finish_gemm(");
        List<String> rename = mismatches(KernelDeclarations.parse(renamed));
        assertTrue(rename.contains("finish_gemm: no method KernelLauncher.finishGemm"), rename::toString);
        assertTrue(rename.contains("finish_output: in KernelLauncher.NAMES but not in kernels.cu"), rename::toString);
        String mangled = replaceOnce(source, "extern \"C\" __global__ void row_dot(", "__global__ void row_dot(");
        assertThrows(IllegalArgumentException.class, () -> KernelDeclarations.parse(mangled));
    }

    @Test
    void eachMethodLaunchesItsKernelWithItsArgumentsInOrderOnItsGrid() throws Exception {
        List<Launch> launches = new ArrayList<>();
        KernelLauncher launcher =
                new KernelLauncher((kernel, blocks, args) -> launches.add(new Launch(kernel, blocks, args)));
        Map<String, Method> methods = launcherMethods();
        for (Kernel k : KernelDeclarations.parse(KernelModule.source())) {
            Method method = methods.get(KernelDeclarations.javaName(k.name()));
            assertNotNull(method, k.name() + ": no launcher method");
            for (boolean nullPointers : new boolean[] {false, true}) {
                Object[] args = sentinels(method.getParameterTypes(), nullPointers);
                launches.clear();
                method.invoke(launcher, args);
                assertEquals(1, launches.size(), k.name());
                Launch launch = launches.get(0);
                assertEquals(k.name(), launch.kernel());
                assertEquals(
                        k.types(),
                        launch.args().kinds().stream()
                                .map(kind -> KernelDeclarations.Type.valueOf(kind.name()))
                                .toList(),
                        k.name() + ": the kinds KernelArgs passes");
                List<Object> values = launch.args().values();
                assertEquals(args.length, values.size(), k.name());
                for (int i = 0; i < args.length; i++) {
                    if (args[i] == null || args[i] instanceof CUdeviceptr) {
                        assertSame(args[i], values.get(i), k.name() + " argument " + i);
                    } else {
                        assertEquals(args[i], values.get(i), k.name() + " argument " + i);
                    }
                }
                assertEquals(args.length, launch.args().parameters().length, k.name());
                assertEquals(GRIDS.get(k.name()).blocks(values), launch.blocks(), k.name() + ": blocks");
            }
        }
        assertEquals(new TreeSet<>(KernelLauncher.NAMES), new TreeSet<>(GRIDS.keySet()));
    }

    @Test
    void kernelsCompileForHopperAndDefineEveryEntryPoint(@TempDir Path dir) throws Exception {
        Path nvcc = onPath("nvcc");
        assumeTrue(nvcc != null, "nvcc is not on the PATH");
        Path source = dir.resolve("kernels.cu");
        Files.writeString(source, KernelModule.source(), StandardCharsets.UTF_8);
        Path ptx = dir.resolve("kernels.ptx");
        Process p = new ProcessBuilder(nvcc.toString(), "-arch=sm_90", "-ptx", "-o", ptx.toString(), source.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc did not finish");
        assertEquals(0, p.exitValue(), "nvcc failed:\n" + log);
        String text = Files.readString(ptx);
        for (String name : KernelLauncher.NAMES) {
            assertTrue(text.contains(".entry " + name + "("), "kernel " + name + " is missing from the PTX");
        }
    }

    /** What differs between the kernels and KernelLauncher (methods, NAMES), one line each; empty if nothing. */
    private static List<String> mismatches(List<Kernel> kernels) {
        List<String> out = new ArrayList<>();
        Map<String, Method> methods = launcherMethods();
        TreeSet<String> names = new TreeSet<>(KernelLauncher.NAMES);
        if (names.size() != KernelLauncher.NAMES.size()) {
            out.add("KernelLauncher.NAMES has duplicates: " + KernelLauncher.NAMES);
        }
        for (Kernel k : kernels) {
            String javaName = KernelDeclarations.javaName(k.name());
            Method m = methods.remove(javaName);
            if (!names.remove(k.name())) {
                out.add(k.name() + ": not in KernelLauncher.NAMES (the module would not look it up)");
            }
            if (m == null) {
                out.add(k.name() + ": no method KernelLauncher." + javaName);
                continue;
            }
            List<KernelDeclarations.Type> java = Arrays.stream(m.getParameterTypes())
                    .map(KernelSourceTest::javaType)
                    .toList();
            if (!java.equals(k.types())) {
                out.add(k.name() + ": kernels.cu has " + k.types() + ", KernelLauncher." + javaName + " has " + java);
            }
        }
        for (String name : names) {
            out.add(name + ": in KernelLauncher.NAMES but not in kernels.cu");
        }
        for (String name : methods.keySet()) {
            out.add("KernelLauncher." + name + ": no kernel in kernels.cu");
        }
        return out;
    }

    /** The launcher's kernel methods (its instance methods) by name. */
    private static Map<String, Method> launcherMethods() {
        Map<String, Method> out = new TreeMap<>();
        for (Method m : KernelLauncher.class.getDeclaredMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && !Modifier.isPrivate(m.getModifiers()) && !m.isSynthetic()) {
                if (out.put(m.getName(), m) != null) {
                    throw new AssertionError("KernelLauncher." + m.getName() + " is overloaded");
                }
            }
        }
        return out;
    }

    private static KernelDeclarations.Type javaType(Class<?> c) {
        if (c == CUdeviceptr.class) {
            return KernelDeclarations.Type.POINTER;
        } else if (c == int.class) {
            return KernelDeclarations.Type.INT;
        } else if (c == long.class) {
            return KernelDeclarations.Type.LONG;
        } else if (c == float.class) {
            return KernelDeclarations.Type.FLOAT;
        } else if (c == double.class) {
            return KernelDeclarations.Type.DOUBLE;
        }
        throw new AssertionError("a kernel parameter of Java type " + c.getName());
    }

    /** Distinct values per position (so a swapped or misplaced argument shows), pointers as new objects or null. */
    private static Object[] sentinels(Class<?>[] types, boolean nullPointers) {
        Object[] out = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> c = types[i];
            if (c == int.class) {
                out[i] = 1000 * (i + 1) + 7;
            } else if (c == long.class) {
                out[i] = 1_000_000L * (i + 1) + 3;
            } else if (c == double.class) {
                out[i] = i + 0.25;
            } else if (c == float.class) {
                out[i] = i + 0.5f;
            } else {
                out[i] = nullPointers ? null : new CUdeviceptr();
            }
        }
        return out;
    }

    private static String replaceOnce(String source, String from, String to) {
        int at = source.indexOf(from);
        assertTrue(at >= 0 && source.indexOf(from, at + 1) < 0, "'" + from + "' is not in kernels.cu exactly once");
        return source.substring(0, at) + to + source.substring(at + from.length());
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator, -1)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
