package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile {@code .npy} files through the command line, the cases that {@link InvalidInputTest}
 * (NumPy-written bad files, empty, truncated data, directory, missing) does not already run there: huge
 * claimed shapes, negative and zero dimensions written by hand, unknown and odd dtypes, headers that are
 * not Python literals (including one nested thousands deep), bad magic and version, truncation inside the
 * preamble and the header. Each exits with 3 and prints exactly one line naming the file. Big-endian and
 * Fortran-order files of every rank give exactly the σ of the little-endian C-order file.
 */
class HostileNpyCliTest {

    @TempDir
    Path dir;

    /** A format 1.0 image: magic, version, length, {@code header} padded with spaces and '\n' to 64 bytes. */
    static byte[] npy(int major, String header, byte[] data) {
        byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        int padding = 64 - (8 + lengthBytes + text.length + 1) % 64;
        ByteBuffer prefix = ByteBuffer.allocate(8 + lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put((byte) 0x93)
                .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
                .put((byte) major)
                .put((byte) 0);
        if (major == 1) {
            prefix.putShort((short) (text.length + padding + 1));
        } else {
            prefix.putInt(text.length + padding + 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.array());
        out.writeBytes(text);
        out.writeBytes(" ".repeat(padding).getBytes(StandardCharsets.US_ASCII));
        out.write('\n');
        out.writeBytes(data);
        return out.toByteArray();
    }

    static String dict(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    }

    private Path write(byte[] image) {
        try {
            return Files.write(dir.resolve("hostile.npy"), image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code sigma} and {@code svd} on the file: exit 3, one line naming the file; returns the line. */
    private String refused(byte[] image) {
        Path file = write(image);
        String line = null;
        for (String command : List.of("sigma", "svd")) {
            CliRunner.Result result = Assertions.assertTimeoutPreemptively(
                    Duration.ofSeconds(60), () -> CliRunner.run(command, file), "hang guard");
            line = result.failedWith(ExitCodes.INVALID_INPUT);
            assertTrue(line.startsWith("specnorm: error: " + file), "names the file: " + line);
        }
        return line;
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                // 4 PB claimed, 8 bytes held: refused from the header, before allocating
                "(100000, 100000, 100000); truncated",
                "(2147483647, 2147483647, 2147483647, 2147483647); too large",
                "(3000000000, 1); larger than a Java array",
                "(99999999999999999999999999999999, 2); larger than a Java array",
                "(-2, 3); negative dimension",
                "(2, -1); negative dimension",
                "(0, 3); zero dimension",
                "(3, 0); zero dimension",
            })
    void hugeNegativeAndZeroShapes(String shape, String problem) {
        String line = refused(npy(1, dict("<f4", shape), new byte[8]));
        boolean matches = false;
        for (String p : problem.split("\\|", -1)) {
            matches |= line.contains(p);
        }
        assertTrue(matches, line);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"<U3", "<i8", "|b1", "<c16", "<f16", "<f2", "|O", "O", "|V8", "<M8", "zz", "", "<f4 ", "f4f4"})
    void unknownAndUnsupportedDtypes(String descr) {
        String line = refused(npy(1, dict(descr, "(2, 2)"), new byte[16 * 4]));
        assertTrue(line.contains("dtype") || line.contains("object arrays"), line);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)", // no closing brace
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)}}", // one too many
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2,,)}", // double comma
                "{'descr': '<f4', 'fortran_order': None, 'shape': (2, 2)}", // None is not a bool
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 0x2)}", // hex
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2e0)}", // float syntax
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)} # hi", // a comment
                "{'descr': b'<f4', 'fortran_order': False, 'shape': (2, 2)}", // bytes literal
                "{'descr': '<f4\\x00', 'fortran_order': False, 'shape': (2, 2)}", // unsupported escape
                "{'descr': '<f4', 'fortran_order': False, 'shape': ((2, 2),)}", // nested tuple
                "{'descr': '<f4', 'fortran_order': False, 'shape': {2: 2}}", // dict shape
                "\u00ff\u00fe\u00fd", // bytes that are no text
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), 'descr': '<f8'}", // duplicate key
                "{'descr': '<f4', 'fortran_order': False, 'sh\rape': (2, 2)}", // a carriage return in a key
                "{'descr': '<f4\r\u2028', 'fortran_order': False, 'shape': (2, 2)}", // line breaks in the dtype
            })
    void headersThatAreNotValidLiterals(String header) {
        String line = refused(npy(1, header, new byte[16]));
        assertTrue(
                line.contains("header")
                        || line.contains("shape")
                        || line.contains("fortran_order")
                        || line.contains("dtype"),
                line);
    }

    /** A header nested 200 deep is refused with one line (it is not a dict). */
    @ParameterizedTest
    @ValueSource(strings = {"[", "(", "{'a': "})
    void nestedHeader(String open) {
        assertTrue(refused(npy(1, nested(open, 200), new byte[16])).contains("header"));
    }

    /**
     * A header nested 3,000 deep (about 6 KB, within the 10,000-byte header limit) must not overflow the
     * parser's stack: exit 3 and one line, like any other invalid header.
     */
    @ParameterizedTest
    @ValueSource(strings = {"[", "(", "{'a': "})
    void deeplyNestedHeader(String open) {
        assertTrue(refused(npy(1, nested(open, Math.min(3000, 9000 / (open.length() + 2))), new byte[16]))
                .contains("header"));
    }

    private static String nested(String open, int depth) {
        String close = open.equals("[") ? "]" : open.equals("(") ? ",)" : "}";
        return open.repeat(depth) + "1" + close.repeat(depth);
    }

    @Test
    void badMagicVersionAndHeaderLength() {
        byte[] valid = Fixtures.bytes("read/r2_f4_le_c.npy");
        byte[] magic = valid.clone();
        magic[0] = 'x';
        assertTrue(refused(magic).contains("not an .npy file"));
        byte[] version = valid.clone();
        version[6] = 0;
        assertTrue(refused(version).contains("format version 0.0"));
        byte[] minor = valid.clone();
        minor[7] = 1;
        assertTrue(refused(minor).contains("format version 1.1"));
        // format 2.0 announcing a 4 GiB header
        byte[] long2 = npy(2, dict("<f4", "(3, 5)"), new byte[60]);
        ByteBuffer.wrap(long2, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(-1);
        assertTrue(refused(long2).contains("exceeds the limit"));
        // format 1.0 announcing a header longer than the file
        byte[] past = valid.clone();
        ByteBuffer.wrap(past, 8, 2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 9000);
        assertTrue(refused(past).contains("truncated"));
    }

    @Test
    void truncatedInsideThePreambleAndTheHeader() {
        byte[] valid = Fixtures.bytes("read/r2_f4_le_c.npy");
        for (int length : new int[] {1, 5, 6, 7, 9, 10, 30, 63}) {
            byte[] cut = Arrays.copyOf(valid, length);
            String line = refused(cut);
            assertTrue(line.contains("truncated") || line.contains("not an .npy file"), length + " bytes: " + line);
        }
    }

    /** Big-endian and Fortran order, float32 and float64, ranks 2 to 4: the same σ as little-endian C order. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void everyLayoutGivesTheSameSigmas(int rank) {
        JsonNode reference =
                CliRunner.json("sigma", Fixtures.path("read/r" + rank + "_f8_le_c.npy"), "--backend", "cpu");
        for (String size : List.of("f4", "f8")) {
            for (String order : List.of("le", "be")) {
                for (String layout : List.of("c", "f")) {
                    String name = "read/r" + rank + "_" + size + "_" + order + "_" + layout + ".npy";
                    JsonNode json = CliRunner.json("sigma", Fixtures.path(name), "--backend", "cpu");
                    assertEquals(reference.get("shape"), json.get("shape"), name);
                    assertEquals(reference.get("sigmas"), json.get("sigmas"), name + " versus r" + rank + "_f8_le_c");
                }
            }
        }
    }
}
