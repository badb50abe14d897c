package dev.specnorm.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.cli.Fixtures;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link NpyReader} against files NumPy wrote, and against every kind of malformed file. */
class NpyReaderTest {

    private static final int[][] SHAPES = {{}, {}, {3, 5}, {2, 3, 4}, {4, 3, 2, 2}};

    @TempDir
    Path dir;

    static Stream<Arguments> numpyFiles() {
        List<Arguments> files = new ArrayList<>();
        for (int rank = 2; rank <= 4; rank++) {
            for (String size : List.of("f4", "f8")) {
                for (String order : List.of("le", "be")) {
                    for (String layout : List.of("c", "f")) {
                        files.add(Arguments.of(
                                "read/r" + rank + "_" + size + "_" + order + "_" + layout + ".npy",
                                SHAPES[rank],
                                size.equals("f8") ? 8 : 4,
                                order.equals("le") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN));
                    }
                }
            }
        }
        files.add(Arguments.of("read/r2_v2.npy", SHAPES[2], 4, ByteOrder.LITTLE_ENDIAN));
        files.add(Arguments.of("read/r2_v3.npy", SHAPES[2], 8, ByteOrder.BIG_ENDIAN));
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numpyFiles")
    void readsWhatNumpyWrote(String fixture, int[] shape, int itemSize, ByteOrder order) throws IOException {
        NpyArray array = NpyReader.read(Fixtures.path(fixture));
        assertArrayEquals(shape, array.shape());
        assertEquals(itemSize, array.sourceDtype().itemSize());
        assertEquals(order, array.sourceDtype().byteOrder());
        assertArrayEquals(FixturePattern.values(array.data().length), array.data(), "values in C order");
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4", "=f4", "|f4"})
    void descriptorWithoutExplicitOrderMeansNativeOrder(String descr) throws IOException {
        Path file = NpyBytes.write(
                dir,
                "native.npy",
                NpyBytes.v1(NpyBytes.dict(descr, "(1, 2)"), NpyBytes.float32(ByteOrder.nativeOrder(), 1.5f, -2f)));
        NpyArray array = NpyReader.read(file);
        assertEquals(ByteOrder.nativeOrder(), array.sourceDtype().byteOrder());
        assertArrayEquals(new float[] {1.5f, -2f}, array.data());
    }

    @Test
    void acceptsPython2LongSuffixAndAnyKeyOrder() throws IOException {
        String header = "{'shape': (1L, 2L), 'fortran_order': False, 'descr': '<f4'}";
        Path file =
                NpyBytes.write(dir, "py2.npy", NpyBytes.v1(header, NpyBytes.float32(ByteOrder.LITTLE_ENDIAN, 1, 2)));
        assertArrayEquals(new int[] {1, 2}, NpyReader.read(file).shape());
    }

    // ------------------------------------------------------------------ malformed files

    private String failure(byte[] image) {
        Path file = NpyBytes.write(dir, "bad.npy", image);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), "the message names the file: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private static byte[] valid() {
        return Fixtures.bytes("read/r2_f4_le_c.npy");
    }

    @Test
    void emptyFile() {
        assertTrue(failure(new byte[0]).contains("is empty"));
    }

    @Test
    void badMagic() {
        byte[] image = valid();
        image[1] = 'X';
        assertTrue(failure(image).contains("not an .npy file"));
        assertTrue(failure("hello, world".getBytes(StandardCharsets.UTF_8)).contains("not an .npy file"));
    }

    @Test
    void unknownVersion() {
        byte[] image = valid();
        image[6] = 4;
        assertTrue(failure(image).contains("format version 4.0"));
    }

    @Test
    void truncatedPreambleHeaderAndData() {
        byte[] image = valid();
        assertTrue(failure(NpyBytes.truncate(image, 8)).contains("truncated"));
        assertTrue(failure(NpyBytes.truncate(image, 40)).contains("truncated"));
        String message = failure(NpyBytes.truncate(image, image.length - 3));
        assertTrue(message.contains("truncated") && message.contains("(3, 5)"), message);
    }

    @Test
    void trailingBytesAfterTheData() {
        byte[] image = valid();
        byte[] longer = Arrays.copyOf(image, image.length + 4);
        assertTrue(failure(longer).contains("4 bytes after the data"));
    }

    @Test
    void hugeClaimedShapeIsRejectedBeforeAllocating() {
        // 10^5 × 10^5 × 10^5 float32 would be 4 PB; the file holds 8 bytes of data
        String message = failure(NpyBytes.v1(
                NpyBytes.dict("<f4", "(100000, 100000, 100000)"), NpyBytes.float32(ByteOrder.LITTLE_ENDIAN, 1, 2)));
        assertTrue(message.contains("truncated") && message.contains("4000000000000000 bytes"), message);
        String overflow = failure(
                NpyBytes.v1(NpyBytes.dict("<f8", "(2147483647, 2147483647, 2147483647, 2147483647)"), new byte[8]));
        assertTrue(overflow.contains("too large"), overflow);
        assertTrue(failure(NpyBytes.v1(NpyBytes.dict("<f4", "(3000000000, 1)"), new byte[8]))
                .contains("larger than"));
    }

    @Test
    void zeroAndNegativeDimensions() {
        assertTrue(failure(Fixtures.bytes("bad/empty_rows.npy")).contains("zero dimension"));
        assertTrue(failure(NpyBytes.v1(NpyBytes.dict("<f4", "(-2, 3)"), new byte[0]))
                .contains("negative dimension"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad/int32.npy", "bad/float16.npy", "bad/complex64.npy"})
    void unsupportedDtypes(String fixture) {
        String message = failure(Fixtures.bytes(fixture));
        assertTrue(message.contains("unsupported dtype") && message.contains("float32"), message);
    }

    @Test
    void objectAndStructuredArrays() {
        assertTrue(failure(Fixtures.bytes("bad/object.npy")).contains("object arrays"));
        assertTrue(failure(Fixtures.bytes("bad/structured.npy")).contains("structured dtypes"));
        assertTrue(
                failure(NpyBytes.v1(NpyBytes.dict("<U3", "(1,)"), new byte[12])).contains("unicode string"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", // no dict at all
                "[1, 2]", // not a dict
                "{'descr': '<f4', 'fortran_order': False}", // missing key
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", // extra key
                "{'descr': '<f4', 'fortran_order': False, 'shape': [1, 2]}", // shape is a list
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1)}", // (1) is not a tuple
                "{'descr': '<f4', 'fortran_order': 0, 'shape': (1, 2)}", // not a bool
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2.5)}", // float dimension
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), } x", // trailing text
                "{'descr': '<f4', 'fortran_order': False, 'shape': __import__('os')}", // an expression
                "{'descr': '<f4, 'fortran_order': False, 'shape': (1, 2)}", // unterminated string
                "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1, 2)}", // duplicate key
                "{descr: '<f4', 'fortran_order': False, 'shape': (1, 2)}", // unquoted key
            })
    void invalidHeaderLiterals(String header) {
        String message = failure(NpyBytes.v1(header, NpyBytes.float32(ByteOrder.LITTLE_ENDIAN, 1, 2)));
        assertTrue(
                message.contains("header") || message.contains("shape") || message.contains("fortran_order"), message);
    }

    @Test
    void oversizedHeader() {
        String header = NpyBytes.dict("<f4", "(1, 2)") + " ".repeat(NpyReader.MAX_HEADER_LENGTH);
        assertTrue(failure(NpyBytes.image(2, header, NpyBytes.float32(ByteOrder.LITTLE_ENDIAN, 1, 2)))
                .contains("exceeds the limit"));
    }

    @Test
    void directoryAndMissingFile() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("weights.npy"));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(sub));
        assertTrue(e.getMessage().contains("is a directory"));
        assertThrows(NoSuchFileException.class, () -> NpyReader.read(dir.resolve("missing.npy")));
    }

    // ------------------------------------------------------------------ non-finite entries

    private NonFiniteEntryException nonFinite(String fixture) {
        return assertThrows(NonFiniteEntryException.class, () -> NpyReader.read(Fixtures.path(fixture)));
    }

    @Test
    void nanNamesTheFirstEntryInCOrder() {
        NonFiniteEntryException e = nonFinite("bad/nan.npy");
        assertArrayEquals(new int[] {1, 2}, e.index());
        assertTrue(e.getMessage().endsWith("nan.npy: entry [1, 2] is NaN"), e.getMessage());
    }

    @Test
    void infinityInAFortranFileIsReportedInCOrder() {
        NonFiniteEntryException e = nonFinite("bad/inf_fortran.npy");
        assertArrayEquals(new int[] {0, 3}, e.index(), "[0, 3] comes before [2, 1] in C order");
        assertTrue(e.getMessage().endsWith("entry [0, 3] is Infinity"), e.getMessage());
    }

    @Test
    void float64BeyondTheFloat32Range() {
        NonFiniteEntryException e = nonFinite("bad/f8_overflow.npy");
        assertArrayEquals(new int[] {1, 0}, e.index());
        assertTrue(e.getMessage().contains("1.0E300 is outside the float32 range"), e.getMessage());
    }
}
