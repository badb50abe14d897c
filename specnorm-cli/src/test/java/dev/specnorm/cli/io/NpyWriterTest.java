package dev.specnorm.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specnorm.cli.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link NpyWriter}: byte for byte what {@code numpy.save} writes, and read back unchanged. */
class NpyWriterTest {

    private static byte[] write(NpyArray array) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyWriter.write(array, out);
        return out.toByteArray();
    }

    static Stream<Arguments> numpyFiles() {
        return Stream.of(
                Arguments.of("write/f4_2x3.npy", new int[] {2, 3}, new float[] {-1, -0.5f, 0, 0.5f, 1, 1.5f}),
                Arguments.of("write/f4_5.npy", new int[] {5}, new float[] {0.25f, 1.25f, 2.25f, 3.25f, 4.25f}),
                Arguments.of("write/f4_2x3x4.npy", new int[] {2, 3, 4}, FixturePattern.values(24)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numpyFiles")
    void writesExactlyWhatNumpyWrites(String fixture, int[] shape, float[] values) throws IOException {
        assertArrayEquals(Fixtures.bytes(fixture), write(NpyArray.ofFloat32(shape, values)));
    }

    @Test
    void headerIsPaddedToSixtyFourBytesAndEndsWithNewline() {
        for (int[] shape : new int[][] {{1}, {7, 3}, {1000000, 2, 3, 4}, {2147483647}}) {
            byte[] header = NpyWriter.header(shape);
            assertEquals(0, header.length % 64, "aligned");
            assertEquals('\n', header[header.length - 1]);
        }
    }

    @Test
    void roundTripsEveryRank() throws IOException {
        Random random = new Random(7);
        for (int[] shape : new int[][] {{5}, {3, 4}, {2, 3, 4}, {2, 1, 3, 3}}) {
            int count = 1;
            for (int d : shape) {
                count *= d;
            }
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = (float) random.nextGaussian();
            }
            byte[] image = write(NpyArray.ofFloat32(shape, values));
            NpyArray back = NpyReader.read(new ByteArrayInputStream(image), image.length, "memory");
            assertArrayEquals(shape, back.shape());
            assertArrayEquals(values, back.data());
            assertEquals("<f4", back.sourceDtype().descr());
        }
    }
}
