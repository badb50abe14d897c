package dev.specnorm.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA C kernels compile with {@code nvcc -ptx} for Hopper (sm_90) and define every kernel the engine
 * looks up: checked without a GPU wherever {@code nvcc} is on the PATH (the CI machine has it; the test
 * is skipped elsewhere).
 */
class KernelSourceTest {

    @Test
    void kernelsCompileForHopperAndDefineEveryEntryPoint(@TempDir Path dir) throws Exception {
        Path nvcc = onPath("nvcc");
        assumeTrue(nvcc != null, "nvcc is not on the PATH");
        Path source = dir.resolve("kernels.cu");
        Files.writeString(source, KernelModule.source(), StandardCharsets.UTF_8);
        Path ptx = dir.resolve("kernels.ptx");
        Process p = new ProcessBuilder(nvcc.toString(), "-arch=sm_90", "-ptx", "-o", ptx.toString(), source.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc did not finish");
        assertEquals(0, p.exitValue(), "nvcc failed:\n" + log);
        String text = Files.readString(ptx);
        for (String name : KernelLauncher.NAMES) {
            assertTrue(text.contains(".entry " + name + "("), "kernel " + name + " is missing from the PTX");
        }
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
