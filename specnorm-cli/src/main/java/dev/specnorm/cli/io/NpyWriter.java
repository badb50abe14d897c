package dev.specnorm.cli.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes float32 arrays as NumPy {@code .npy} files: little-endian ({@code '<f4'}), C order, the header
 * exactly as {@code numpy.save} lays it out (keys sorted, the spare room NumPy leaves after the header
 * for growing the first axis, spaces and a newline up to a multiple of 64 bytes), format 1.0, or 2.0 when
 * the header does not fit in 1.0's 65535 bytes. See {@link NpyReader} for why specnorm has its own.
 */
public final class NpyWriter {

    /** NumPy's {@code ARRAY_ALIGN}: the data starts at a multiple of this many bytes. */
    private static final int ALIGN = 64;
    /** NumPy's {@code GROWTH_AXIS_MAX_DIGITS}: header room left for the first dimension to grow. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private static final int CHUNK_FLOATS = 1 << 14;

    private NpyWriter() {}

    /** Writes {@code array} to {@code out} (not closed), as {@code numpy.save} would write a float32 array. */
    public static void write(NpyArray array, OutputStream out) throws IOException {
        out.write(header(array.shape()));
        float[] data = array.data();
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(data.length, CHUNK_FLOATS) * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < data.length; at += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, data.length - at);
            chunk.clear();
            chunk.asFloatBuffer().put(data, at, n);
            out.write(chunk.array(), 0, n * Float.BYTES);
        }
    }

    /** The complete header (magic, version, length, dict and padding) of a C-order float32 array. */
    static byte[] header(int[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': ")
                .append(NpyHeader.formatShape(shape))
                .append(", }");
        if (shape.length > 0) {
            dict.append(" "
                    .repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
        }
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int major = 1;
        int padding = padding(text.length, 2);
        if (text.length + 1 + padding > 0xffff) {
            major = 2;
            padding = padding(text.length, 4);
        }
        int lengthBytes = major == 1 ? 2 : 4;
        int unpadded = 6 + 2 + lengthBytes + text.length + 1;
        int headerLength = text.length + padding + 1;
        ByteBuffer out = ByteBuffer.allocate(unpadded + padding).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 0x93)
                .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
                .put((byte) major)
                .put((byte) 0);
        if (major == 1) {
            out.putShort((short) headerLength);
        } else {
            out.putInt(headerLength);
        }
        out.put(text);
        for (int i = 0; i < padding; i++) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    /** NumPy's padding: spaces that bring magic, version, length field, dict and newline to a multiple of 64. */
    private static int padding(int dictLength, int lengthBytes) {
        return ALIGN - (6 + 2 + lengthBytes + dictLength + 1) % ALIGN;
    }
}
