package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.ThreadMXBean;
import dev.specnorm.cli.checkpoint.CheckpointFixtures;
import dev.specnorm.cli.checkpoint.Checkpoints;
import dev.specnorm.cli.checkpoint.TensorEntry;
import dev.specnorm.cli.checkpoint.TensorSource;
import dev.specnorm.cli.io.NpyFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzzer over the valid checkpoint fixtures (safetensors, PyTorch zip, npz, npy):
 * {@value #INPUTS} inputs made by flipping bits, overwriting, inserting, deleting and duplicating byte runs
 * and truncating. Every input must open and read (every readable tensor converted) or be refused with a
 * {@link NpyFormatException} (checkpoint refusals are one) naming the file — never another exception, never
 * a hang — and within an allocation budget of 4·(file size) + 4 MiB per input, so no declared size makes a
 * reader allocate what the file cannot hold. Every {@value #CLI_EVERY}th input also goes through
 * {@code specnorm inspect}: exit 0, or exit 3 with one line on stderr.
 */
class CheckpointMutationFuzzTest {

    static final int INPUTS = 1000;
    static final int CLI_EVERY = 25;
    static final long SEED = 0x5eed_c4ec_2026L;

    private static final List<String> SEEDS = List.of(
            "pt/mlp_f32.pt",
            "pt/mlp_f16.pt",
            "pt/cnn_f16.pt",
            "pt/noncontiguous.pt",
            "pt/shared_storage.pt",
            "pt/nested.pt",
            "pt/parameter.pt",
            "safetensors/mlp_f32.safetensors",
            "safetensors/mlp_bf16.safetensors",
            "safetensors/cnn_f16.safetensors",
            "numpy/weights_f16.npz",
            "numpy/weights_f32.npz",
            "numpy/w_f16.npy",
            "numpy/fortran_f16.npy");

    @TempDir
    Path dir;

    static byte[] mutate(byte[] seed, Random r) {
        byte[] x = seed.clone();
        int mutations = 1 + r.nextInt(3);
        for (int m = 0; m < mutations && x.length > 0; m++) {
            int at = r.nextInt(x.length);
            switch (r.nextInt(6)) {
                case 0 -> x[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> x[at] = (byte) r.nextInt(256);
                case 2 -> x = NpyMutationFuzzTest.splice(x, at, 0, new byte[] {(byte) r.nextInt(256)});
                case 3 -> x = NpyMutationFuzzTest.splice(x, at, Math.min(1 + r.nextInt(8), x.length - at), new byte[0]);
                case 4 -> { // a field's most significant byte: a huge length, count or offset
                    x[at] = (byte) (r.nextBoolean() ? 0x7f : 0xff);
                }
                default -> x = Arrays.copyOf(x, r.nextInt(x.length + 1));
            }
        }
        return x;
    }

    private static long allocatedBytes() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Opens and reads one input; returns "read" or "refused" after checking the outcome. */
    static String check(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long before = allocatedBytes();
        try (TensorSource source = Checkpoints.open(file, false)) {
            for (TensorEntry t : source.tensors()) {
                if (t.dtype().isReadable()) {
                    float[] v = t.toFloat32();
                    assertEquals(t.elementCount(), v.length);
                }
            }
            return "read";
        } catch (NpyFormatException e) {
            assertTrue(String.valueOf(e.getMessage()).startsWith(file.toString()), "names the file: " + e.getMessage());
            return "refused";
        } catch (IOException | RuntimeException | Error e) {
            fail(file + ": " + e, e);
            return null;
        } finally {
            long allocated = allocatedBytes() - before;
            assertTrue(allocated <= 4 * size + (4 << 20), file + ": allocated " + allocated + " bytes for " + size);
        }
    }

    @Test
    void mutatedCheckpointsReadOrAreRefusedWithOneLine() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (String s : SEEDS) {
            seeds.add(Files.readAllBytes(CheckpointFixtures.path(s)));
            assertEquals("read", check(CheckpointFixtures.path(s)), s); // also loads the classes before budgets count
        }
        int[] outcomes = new int[2];
        List<Path> viaCli = new ArrayList<>();
        Assertions.assertTimeoutPreemptively(
                Duration.ofMinutes(3),
                () -> {
                    Random r = new Random(SEED);
                    for (int i = 0; i < INPUTS; i++) {
                        int k = r.nextInt(seeds.size());
                        String name = SEEDS.get(k);
                        Path file = dir.resolve("fuzz-" + i + name.substring(name.lastIndexOf('.')));
                        Files.write(file, mutate(seeds.get(k), r));
                        outcomes[check(file).equals("read") ? 0 : 1]++;
                        if (i % CLI_EVERY == 0) {
                            viaCli.add(file);
                        } else {
                            Files.delete(file);
                        }
                    }
                },
                "hang guard: the readers did not finish " + INPUTS + " inputs");
        assertTrue(outcomes[1] > INPUTS / 3, "many mutations break the file: " + outcomes[1] + " refused");
        int cliRefused = 0;
        for (Path file : viaCli) {
            CliRunner.Result result = Assertions.assertTimeoutPreemptively(
                    Duration.ofSeconds(60), () -> CliRunner.run("inspect", file, "--backend", "cpu"), "hang guard");
            if (result.exitCode() == ExitCodes.OK) {
                result.succeeded();
            } else {
                result.failedWith(ExitCodes.INVALID_INPUT);
                cliRefused++;
            }
        }
        System.out.printf(
                "CheckpointMutationFuzzTest: %d inputs, %d read, %d refused; %d through the CLI, %d refused%n",
                INPUTS, outcomes[0], outcomes[1], viaCli.size(), cliRefused);
    }
}
