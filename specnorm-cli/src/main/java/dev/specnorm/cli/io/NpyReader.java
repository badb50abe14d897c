package dev.specnorm.cli.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) of float32 or float64, either byte
 * order, C or Fortran order, into a C-order float32 {@link NpyArray}.
 *
 * <p>No maintained Java {@code .npy} library fits: the candidates are unmaintained, read only one byte
 * order or only C order, or come inside a whole tensor framework. The format is small (NumPy Enhancement
 * Proposal 1, {@code numpy.lib.format}), so specnorm reads it itself, strictly, and its tests check the
 * reader against files NumPy wrote.
 *
 * <p>Strict means: the magic and version must be NumPy's; the header must be a Python dict literal with
 * exactly the keys {@code descr}, {@code fortran_order} and {@code shape}, at most
 * {@value #MAX_HEADER_LENGTH} bytes (NumPy's own default limit); every dimension must be at least 1; and
 * the data must be exactly as long as the shape says. The size is checked against the file before
 * anything is allocated, so a header claiming a huge shape costs nothing. NaN and infinite entries, and
 * float64 values beyond the float32 range, are rejected ({@link NonFiniteEntryException}) naming the
 * first such entry in C order.
 */
public final class NpyReader {

    /** The largest header accepted, in bytes: NumPy's default {@code max_header_size}. */
    public static final int MAX_HEADER_LENGTH = 10_000;

    /** The largest element count a Java array can hold. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int CHUNK_BYTES = 1 << 16;

    private NpyReader() {}

    /**
     * Reads the file at {@code file}.
     *
     * @throws NpyFormatException if it is not a valid {@code .npy} file of float32 or float64, or holds a
     *                            non-finite value
     * @throws IOException        if it cannot be read (missing, no permission)
     */
    public static NpyArray read(Path file) throws IOException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new NpyFormatException(source, "is a directory, not an .npy file");
        }
        long length = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK_BYTES)) {
            return read(in, length, source);
        }
    }

    /**
     * Reads an {@code .npy} image of exactly {@code length} bytes from {@code in} (an archive entry, for
     * instance). Does not close {@code in}.
     *
     * @param source the name used in messages
     */
    public static NpyArray read(InputStream in, long length, String source) throws IOException {
        if (length == 0) {
            throw new NpyFormatException(source, "is empty, not an .npy file");
        }
        byte[] magic = readFully(in, (int) Math.min(MAGIC.length, length), source, "magic string");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new NpyFormatException(source, "is not an .npy file (it does not start with \\x93NUMPY)");
        }
        byte[] version = readFully(in, 2, source, "format version");
        int major = version[0] & 0xff;
        int minor = version[1] & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(
                    source,
                    "unsupported .npy format version " + major + "." + minor + " (NumPy writes 1.0, 2.0 and 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer lengthField = ByteBuffer.wrap(readFully(in, lengthBytes, source, "header length"))
                .order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? lengthField.getShort() & 0xffffL : lengthField.getInt() & 0xffffffffL;
        long prefix = MAGIC.length + 2L + lengthBytes;
        if (headerLength > MAX_HEADER_LENGTH) {
            throw new NpyFormatException(
                    source,
                    "header of " + headerLength + " bytes exceeds the limit of " + MAX_HEADER_LENGTH
                            + " (NumPy's max_header_size)");
        }
        if (headerLength > length - prefix) {
            throw new NpyFormatException(
                    source,
                    "truncated: the header needs " + headerLength + " bytes, the file holds "
                            + Math.max(0, length - prefix) + " after the preamble");
        }
        byte[] headerBytes = readFully(in, (int) headerLength, source, "header");
        String text = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header = NpyHeader.parse(source, text);
        long count = elementCount(source, header);
        long dataBytes = length - prefix - headerLength;
        long needed = count * header.dtype().itemSize();
        if (dataBytes < needed) {
            throw new NpyFormatException(
                    source,
                    "truncated: the header declares shape " + header.shapeText()
                            + " of " + header.dtype().typeName() + ", " + needed + " bytes of data, but the file holds "
                            + dataBytes);
        }
        if (dataBytes > needed) {
            throw new NpyFormatException(
                    source,
                    "holds " + (dataBytes - needed) + " bytes after the data of shape " + header.shapeText()
                            + " its header declares");
        }
        if (count > MAX_ELEMENTS) {
            throw new NpyFormatException(
                    source,
                    "shape " + header.shapeText() + " has " + count + " elements, more than a Java array can hold");
        }
        return readData(in, header, (int) count, source);
    }

    /** The element count, checked so that count·itemSize cannot overflow. */
    private static long elementCount(String source, NpyHeader header) throws NpyFormatException {
        try {
            long count = header.elementCount();
            Math.multiplyExact(count, header.dtype().itemSize());
            return count;
        } catch (ArithmeticException e) {
            throw new NpyFormatException(source, "shape " + header.shapeText() + " is too large to exist");
        }
    }

    private static NpyArray readData(InputStream in, NpyHeader header, int count, String source) throws IOException {
        NpyDtype dtype = header.dtype();
        int itemSize = dtype.itemSize();
        float[] values = new float[count];
        byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, (long) count * itemSize)];
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(dtype.byteOrder());
        FirstNonFinite bad = new FirstNonFinite(header);
        int at = 0;
        while (at < count) {
            int items = Math.min(chunk.length / itemSize, count - at);
            readFully(in, chunk, items * itemSize, source);
            for (int i = 0; i < items; i++, at++) {
                double value = itemSize == 8 ? buffer.getDouble(i * 8) : buffer.getFloat(i * 4);
                float rounded = (float) value;
                values[at] = rounded;
                if (!Float.isFinite(rounded)) {
                    bad.offer(at, value);
                }
            }
        }
        bad.throwIfFound(source);
        int[] shape = header.shape();
        return new NpyArray(shape, header.fortranOrder() ? fortranToC(values, shape) : values, dtype);
    }

    /** Reorders column-major data of {@code shape} into row-major order. */
    static float[] fortranToC(float[] fortran, int[] shape) {
        int rank = shape.length;
        int[] fortranStride = new int[rank];
        for (int k = 0; k < rank; k++) {
            fortranStride[k] = k == 0 ? 1 : fortranStride[k - 1] * shape[k - 1];
        }
        float[] out = new float[fortran.length];
        int[] index = new int[rank];
        int f = 0;
        for (int c = 0; c < out.length; c++) {
            out[c] = fortran[f];
            for (int k = rank - 1; k >= 0; k--) {
                f += fortranStride[k];
                if (++index[k] < shape[k]) {
                    break;
                }
                f -= shape[k] * fortranStride[k];
                index[k] = 0;
            }
        }
        return out;
    }

    /** The non-finite entry that comes first in C order, whatever order the file stores. */
    private static final class FirstNonFinite {
        private final int[] shape;
        private final boolean fortran;
        private long cIndex = Long.MAX_VALUE;
        private double value;

        FirstNonFinite(NpyHeader header) {
            this.shape = header.shape();
            this.fortran = header.fortranOrder();
        }

        void offer(int fileIndex, double entry) {
            long c = fortran ? cIndexOfFortran(fileIndex) : fileIndex;
            if (c < cIndex) {
                cIndex = c;
                value = entry;
            }
        }

        void throwIfFound(String source) throws NonFiniteEntryException {
            if (cIndex == Long.MAX_VALUE) {
                return;
            }
            int[] index = new int[shape.length];
            long rest = cIndex;
            for (int k = shape.length - 1; k >= 0; k--) {
                index[k] = (int) (rest % shape[k]);
                rest /= shape[k];
            }
            throw new NonFiniteEntryException(source, index, value);
        }

        private long cIndexOfFortran(int fileIndex) {
            long rest = fileIndex;
            int[] index = new int[shape.length];
            for (int k = 0; k < shape.length; k++) {
                index[k] = (int) (rest % shape[k]);
                rest /= shape[k];
            }
            long c = 0;
            for (int k = 0; k < shape.length; k++) {
                c = c * shape[k] + index[k];
            }
            return c;
        }
    }

    private static byte[] readFully(InputStream in, int length, String source, String what) throws IOException {
        byte[] bytes = new byte[length];
        int read = in.readNBytes(bytes, 0, length);
        if (read < length) {
            throw new NpyFormatException(source, "truncated in the " + what);
        }
        return bytes;
    }

    private static void readFully(InputStream in, byte[] into, int length, String source) throws IOException {
        if (in.readNBytes(into, 0, length) < length) {
            throw new NpyFormatException(source, "truncated: the data ends early");
        }
    }
}
