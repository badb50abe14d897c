package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.ThreadMXBean;
import dev.specnorm.cli.io.NpyArray;
import dev.specnorm.cli.io.NpyFormatException;
import dev.specnorm.cli.io.NpyReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzzer over valid {@code .npy} files (docs/RELIABILITY.md): {@value #INPUTS}
 * inputs made from the NumPy-written fixtures (every rank, dtype, byte order and layout, format 2.0 and
 * 3.0) by flipping bits, overwriting bytes with header-significant characters, inserting, deleting and
 * duplicating byte runs, and truncating — 60 % of the mutations in the preamble and header, the rest
 * anywhere. Every input must either load a valid array (shape of positive dimensions, as many finite
 * values as the shape says, no more data than the file holds) or throw {@link NpyFormatException} naming
 * the source — never another exception or error, never a hang. Each read is also held to an allocation
 * budget of 2·(file size) + 1 MiB, measured per thread ({@code com.sun.management.ThreadMXBean}), so that
 * no header, however large its claimed shape, makes the reader allocate what the file cannot hold. Every
 * {@value #CLI_EVERY}th input also goes through the command line as a file: exit 0, or exit 3 with
 * exactly one line on stderr.
 */
class NpyMutationFuzzTest {

    static final int INPUTS = 4000;
    static final int CLI_EVERY = 20;
    static final long SEED = 0x5eed_2026_1122L;

    private static final byte[] INTERESTING =
            "()[]{},:'\"-+0123456789LTFN \n\\<>|=fiOUV".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    static List<byte[]> seeds() {
        List<byte[]> out = new ArrayList<>();
        for (int rank = 2; rank <= 4; rank++) {
            for (String size : List.of("f4", "f8")) {
                for (String order : List.of("le", "be")) {
                    for (String layout : List.of("c", "f")) {
                        out.add(Fixtures.bytes("read/r" + rank + "_" + size + "_" + order + "_" + layout + ".npy"));
                    }
                }
            }
        }
        out.add(Fixtures.bytes("read/r2_v2.npy"));
        out.add(Fixtures.bytes("read/r2_v3.npy"));
        out.add(Fixtures.bytes("cli/w.npy"));
        out.add(Fixtures.bytes("cli/batch.npy"));
        return out;
    }

    /** The end of the header (the first byte of the data) of a valid image, for biasing mutations. */
    static int headerEnd(byte[] image) {
        int major = image[6] & 0xff;
        int length = major == 1
                ? (image[8] & 0xff) | (image[9] & 0xff) << 8
                : (image[8] & 0xff) | (image[9] & 0xff) << 8 | (image[10] & 0xff) << 16 | (image[11] & 0xff) << 24;
        return (major == 1 ? 10 : 12) + length;
    }

    static byte[] mutate(byte[] seed, Random r) {
        byte[] x = seed.clone();
        int header = Math.min(headerEnd(seed), x.length);
        int mutations = 1 + r.nextInt(4);
        for (int m = 0; m < mutations && x.length > 0; m++) {
            // 60 % of mutations land in the preamble and header, the rest anywhere
            int at = r.nextInt(5) > 1 ? r.nextInt(Math.max(1, Math.min(header, x.length))) : r.nextInt(x.length);
            switch (r.nextInt(7)) {
                case 0 -> x[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> x[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                case 2 -> x[at] = (byte) r.nextInt(256);
                case 3 -> { // insert 1–16 bytes (shifts the data against the header's length field)
                    byte[] insert = new byte[1 + r.nextInt(16)];
                    for (int i = 0; i < insert.length; i++) {
                        insert[i] =
                                r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : (byte) r.nextInt(256);
                    }
                    x = splice(x, at, 0, insert);
                }
                case 4 -> x = splice(x, at, Math.min(1 + r.nextInt(16), x.length - at), new byte[0]);
                case 5 -> { // duplicate a run (repeats header fragments such as "2, 3, ")
                    int len = Math.min(1 + r.nextInt(12), x.length - at);
                    byte[] run = Arrays.copyOfRange(x, at, at + len);
                    x = splice(x, at, 0, run);
                }
                default -> x = Arrays.copyOf(x, r.nextInt(x.length + 1)); // truncate
            }
        }
        return x;
    }

    static byte[] splice(byte[] x, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(x, 0, at);
        out.writeBytes(insert);
        out.write(x, at + remove, x.length - at - remove);
        return out.toByteArray();
    }

    private static long allocatedBytes() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Reads one input in memory; returns "loaded" or "refused" after checking the outcome. */
    static String check(int index, byte[] input) {
        String source = "fuzz-" + index;
        long before = allocatedBytes();
        try {
            NpyArray array = NpyReader.read(new ByteArrayInputStream(input), input.length, source);
            long elements = 1;
            for (int d : array.shape()) {
                assertTrue(d >= 1, source + ": dimension " + d);
                elements *= d;
            }
            assertEquals(elements, array.data().length, source + ": values versus shape");
            assertTrue(
                    elements * array.sourceDtype().itemSize() <= input.length,
                    source + ": more data than the file holds");
            for (float v : array.data()) {
                assertTrue(Float.isFinite(v), source + ": loaded a non-finite value");
            }
            return "loaded";
        } catch (NpyFormatException e) {
            String message = String.valueOf(e.getMessage());
            assertTrue(message.startsWith(source + ": "), "the message names the source: " + message);
            // the message may quote header text holding '\r' (a Python string may): the command line joins
            // such lines, which the CLI part below checks; here it need only name the source
            return "refused";
        } catch (IOException | RuntimeException | Error e) {
            fail(
                    source + ": " + e + " for input " + HexFormat.of().formatHex(input, 0, Math.min(input.length, 256)),
                    e);
            return null;
        } finally {
            long allocated = allocatedBytes() - before;
            assertTrue(
                    allocated <= 2L * input.length + (1 << 20),
                    source + ": allocated " + allocated + " bytes reading a file of " + input.length);
        }
    }

    @Test
    void mutatedFilesLoadOrAreRefusedWithOneLine() {
        List<byte[]> seeds = seeds();
        int[] outcomes = new int[2];
        List<byte[]> viaCli = new ArrayList<>();
        Assertions.assertTimeoutPreemptively(
                Duration.ofMinutes(3),
                () -> {
                    Random r = new Random(SEED);
                    for (int i = 0; i < INPUTS; i++) {
                        byte[] input = mutate(seeds.get(r.nextInt(seeds.size())), r);
                        outcomes[check(i, input).equals("loaded") ? 0 : 1]++;
                        if (i % CLI_EVERY == 0) {
                            viaCli.add(input);
                        }
                    }
                },
                "hang guard: the reader did not finish " + INPUTS + " inputs");
        assertEquals(INPUTS, outcomes[0] + outcomes[1]);
        assertTrue(outcomes[1] > INPUTS / 2, "most mutations break the file: " + outcomes[1] + " refused");
        int cliRefused = 0;
        for (int i = 0; i < viaCli.size(); i++) {
            Path file = dir.resolve("fuzz-" + i + ".npy");
            try {
                Files.write(file, viaCli.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            CliRunner.Result result = Assertions.assertTimeoutPreemptively(
                    Duration.ofSeconds(60), () -> CliRunner.run("sigma", file, "--backend", "cpu"), "hang guard");
            if (result.exitCode() == ExitCodes.OK) {
                result.succeeded();
            } else {
                result.failedWith(ExitCodes.INVALID_INPUT);
                cliRefused++;
            }
        }
        System.out.printf(
                "NpyMutationFuzzTest: %d inputs, %d loaded, %d refused; %d through the CLI, %d refused%n",
                INPUTS, outcomes[0], outcomes[1], viaCli.size(), cliRefused);
    }
}
