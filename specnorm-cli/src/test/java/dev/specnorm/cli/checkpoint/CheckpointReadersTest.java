package dev.specnorm.cli.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture PyTorch and NumPy wrote, read back and compared value by value with NumPy's float64
 * references: float32 and float16/bfloat16 exactly, float64 as its float32 rounding; and the hostile
 * fixtures, each refused with its reason before allocating more than a few times its own size.
 */
class CheckpointReadersTest {

    static Stream<String> files() {
        List<String> names = new ArrayList<>();
        CheckpointFixtures.references().fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    void everyTensorMatchesTheNumpyReference(String file) throws IOException {
        JsonNode expected = CheckpointFixtures.references().get(file);
        try (TensorSource source = Checkpoints.open(CheckpointFixtures.path(file), true)) {
            Map<String, TensorEntry> byName = new HashMap<>();
            source.tensors().forEach(t -> byName.put(t.name(), t));
            for (Map.Entry<String, JsonNode> e : expected.properties()) {
                TensorEntry tensor = byName.remove(e.getKey());
                assertNotNull(tensor, file + ": no tensor " + e.getKey() + " in " + source.tensors());
                int[] shape = new int[e.getValue().get("shape").size()];
                for (int k = 0; k < shape.length; k++) {
                    shape[k] = e.getValue().get("shape").get(k).asInt();
                }
                assertArrayEquals(shape, tensor.shape(), file + " " + e.getKey());
                if (!tensor.dtype().isReadable()) {
                    assertThrows(CheckpointFormatException.class, tensor::toFloat32);
                    continue;
                }
                float[] values = tensor.toFloat32();
                JsonNode reference = e.getValue().get("values");
                assertEquals(reference.size(), values.length, file + " " + e.getKey());
                for (int k = 0; k < values.length; k++) {
                    assertEquals(
                            (float) reference.get(k).asDouble(),
                            values[k],
                            0f,
                            file + " " + e.getKey() + " element " + k);
                }
            }
            assertTrue(
                    byName.values().stream().allMatch(t -> !t.dtype().isReadable()),
                    file + ": tensors without a reference: " + byName.keySet());
        }
    }

    @Test
    void formatsAndDtypesAreRecognised() throws IOException {
        try (TensorSource s = Checkpoints.open(CheckpointFixtures.path("pt/cnn_f16.pt"), false)) {
            assertEquals("pytorch", s.format());
            assertEquals(TensorDtype.F16, s.tensors().get(0).dtype());
            assertTrue(
                    s.tensors().stream().anyMatch(t -> t.dtype() == TensorDtype.I64),
                    "BatchNorm's num_batches_tracked is a LongStorage");
        }
        try (TensorSource s = Checkpoints.open(CheckpointFixtures.path("safetensors/mlp_bf16.safetensors"), false)) {
            assertEquals("safetensors", s.format());
            assertEquals(TensorDtype.BF16, s.tensors().get(0).dtype());
        }
        try (TensorSource s = Checkpoints.open(CheckpointFixtures.path("numpy/weights_f16.npz"), false)) {
            assertEquals("npz", s.format());
        }
    }

    @Test
    void sharedStorageIsOneStorageSeenThroughEveryView() throws IOException {
        try (TensorSource s = Checkpoints.open(CheckpointFixtures.path("pt/shared_storage.pt"), false)) {
            Map<String, float[]> v = new HashMap<>();
            for (TensorEntry t : s.tensors()) {
                v.put(t.name(), t.toFloat32());
            }
            for (int k = 0; k < 10; k++) {
                assertEquals(v.get("full")[15 + k], v.get("tail")[k], 0f);
            }
            assertArrayEquals(v.get("full"), v.get("view"));
        }
    }

    @Test
    void void2NeedsTheExplicitFlag() {
        CheckpointFormatException e = assertThrows(
                CheckpointFormatException.class,
                () -> Checkpoints.open(CheckpointFixtures.path("numpy/w_bf16.npy"), false));
        assertTrue(e.getMessage().contains("--void2 bfloat16"), e.getMessage());
    }

    @Test
    void halfPrecisionConvertsEveryBitPatternExactly() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            float f = HalfPrecision.float16ToFloat((short) bits);
            int exponent = (bits >>> 10) & 0x1f;
            int fraction = bits & 0x3ff;
            double expected = exponent == 0
                    ? fraction * Math.pow(2, -24)
                    : exponent == 31
                            ? (fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                            : (1 + fraction / 1024.0) * Math.pow(2, exponent - 15);
            expected = (bits & 0x8000) != 0 ? -expected : expected;
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(f));
            } else {
                assertEquals(expected, f, 0.0, "float16 bits " + Integer.toHexString(bits));
                assertEquals(bits >= 0x8000, (Float.floatToRawIntBits(f) & 0x8000_0000) != 0, "sign of -0 too");
            }
            float b = HalfPrecision.bfloat16ToFloat((short) bits);
            assertFalse(!Float.isNaN(b) && Float.floatToRawIntBits(b) != bits << 16);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "hostile/header_beyond_file.safetensors | declares a header of 1000000000000 bytes",
                "hostile/header_huge_length.safetensors | declares a header of 9223372036854775813 bytes",
                "hostile/overlapping_offsets.safetensors | overlap",
                "hostile/offsets_out_of_range.safetensors | outside the data section",
                "hostile/negative_shape.safetensors | negative value -3",
                "hostile/huge_shape.safetensors | needs too many bytes",
                "hostile/size_mismatch.safetensors | needs 80 bytes",
                "hostile/not_json.safetensors | not valid JSON",
                "hostile/os_system.pt | global posix.system",
                "hostile/builtins_eval.pt | global builtins.eval",
                "hostile/legacy.pt | legacy torch.save format",
                "hostile/zip_bomb_pickle.pt | zip bomb",
                "hostile/zip_bomb_storage.pt | more than the archive",
                "hostile/truncated_storage.pt | truncated or corrupt",
                "hostile/big_endian.pt | byte order 'big'",
                "hostile/view_outside_storage.pt | reach element 11 of a storage of 6 elements",
                "hostile/truncated.npy | but holds 26",
            })
    void hostileFilesAreRefusedWhenOpened(String file, String expected) throws IOException {
        Checkpoints.open(CheckpointFixtures.path("pt/mlp_f32.pt"), false).close(); // classes loaded before counting
        long size = Files.size(CheckpointFixtures.path(file));
        long before = allocatedBytes();
        CheckpointFormatException e = assertThrows(
                CheckpointFormatException.class, () -> Checkpoints.open(CheckpointFixtures.path(file), false));
        long allocated = allocatedBytes() - before;
        assertTrue(
                allocated <= 4 * size + (4 << 20),
                file + ": refused after allocating " + allocated + " bytes; it is " + size + " bytes long");
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(CheckpointFixtures.path(file).toString()), e.getMessage());
    }

    private static long allocatedBytes() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void integerMatricesAreRefusedWhenRead() throws IOException {
        try (TensorSource s = Checkpoints.open(CheckpointFixtures.path("hostile/integer_matrix.safetensors"), false)) {
            CheckpointFormatException e =
                    assertThrows(CheckpointFormatException.class, s.tensors().get(0)::toFloat32);
            assertTrue(e.getMessage().contains("dtype int32"), e.getMessage());
        }
    }
}
