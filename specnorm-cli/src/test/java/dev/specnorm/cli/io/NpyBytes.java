package dev.specnorm.cli.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Hand-made {@code .npy} images with any header text, version and data, valid or not. */
final class NpyBytes {

    private NpyBytes() {}

    /** Format 1.0: magic, version, little-endian length, {@code header} padded to 64 bytes, then {@code data}. */
    static byte[] v1(String header, byte[] data) {
        return image(1, header, data);
    }

    /** An image of format {@code major}.0 (1, 2 or 3; 2 and 3 have a 4-byte length). */
    static byte[] image(int major, String header, byte[] data) {
        byte[] text = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        int padding = 64 - (6 + 2 + lengthBytes + text.length + 1) % 64;
        ByteBuffer prefix = ByteBuffer.allocate(6 + 2 + lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
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

    /** A C-order header dict for {@code descr} and {@code shape} (a Python tuple literal). */
    static String dict(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    }

    /** {@code values} as float32 in {@code order}. */
    static byte[] float32(ByteOrder order, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** The first {@code length} bytes of {@code image}. */
    static byte[] truncate(byte[] image, int length) {
        return Arrays.copyOf(image, length);
    }

    /** Writes {@code bytes} to {@code directory/name}. */
    static Path write(Path directory, String name, byte[] bytes) {
        try {
            return Files.write(directory.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
