package dev.specnorm.cli.checkpoint;

import dev.specnorm.cli.io.NpyDtype;
import dev.specnorm.cli.io.NpyFormatException;
import dev.specnorm.cli.io.NpyHeader;
import dev.specnorm.cli.io.NpyReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * NumPy weights: one {@code .npy} array, or an {@code .npz} archive of named arrays (the entry name
 * without {@code .npy}), of float64, float32, float16 ({@code '<f2'}) and, only when the caller says so,
 * bfloat16 as {@code ml_dtypes} writes it: {@code '|V2'}, two bytes of no declared meaning, which any
 * 2-byte structured type also writes — hence never guessed. Either byte order, C or Fortran order. The
 * header is read and the data size checked against the file (or entry) before the data are touched; an
 * {@code .npy} file is memory-mapped, an archive entry read when its tensor is.
 */
public final class NumpyWeightsReader implements TensorSource {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern HALF = Pattern.compile("([<>=|]?)([fV])2");

    private final String format;
    private final AutoCloseable resource;
    private final List<TensorEntry> tensors;

    private NumpyWeightsReader(String format, AutoCloseable resource, List<TensorEntry> tensors) {
        this.format = format;
        this.resource = resource;
        this.tensors = tensors;
    }

    /**
     * Opens an {@code .npy} file as one tensor named after the file (without {@code .npy}).
     *
     * @param void2IsBfloat16 whether {@code '|V2'} data are bfloat16 (otherwise such a file is refused)
     */
    public static NumpyWeightsReader openNpy(Path file, boolean void2IsBfloat16) throws IOException {
        String source = file.toString();
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE) {
            throw new CheckpointFormatException(
                    source, "is " + size + " bytes; specnorm reads .npy files of at most 2 GiB");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            String name = file.getFileName().toString().replaceFirst("\\.npy$", "");
            TensorEntry entry = parse(source, name, mapped, size, void2IsBfloat16, () -> mapped);
            return new NumpyWeightsReader("npy", () -> {}, List.of(entry));
        }
    }

    /** Opens an {@code .npz} archive; entries that are not {@code .npy} files are ignored. */
    public static NumpyWeightsReader openNpz(Path file, boolean void2IsBfloat16) throws IOException {
        String source = file.toString();
        long archiveSize = Files.size(file);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointFormatException(source, "is not a valid zip archive: " + e.getMessage());
        }
        try {
            List<TensorEntry> tensors = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                PytorchCheckpointReader.checkDeclaredSize(source, entry, archiveSize);
                if (!entry.getName().endsWith(".npy") || entry.isDirectory()) {
                    continue;
                }
                if (entry.getSize() > Integer.MAX_VALUE) {
                    throw new CheckpointFormatException(
                            source,
                            "entry " + entry.getName() + " declares " + entry.getSize()
                                    + " bytes; specnorm reads arrays of at most 2 GiB");
                }
                String entrySource = source + ":" + entry.getName();
                byte[] head = new byte[(int) Math.min(entry.getSize(), NpyReader.MAX_HEADER_LENGTH + 12L)];
                try (InputStream in = zip.getInputStream(entry)) {
                    int at = 0;
                    while (at < head.length) {
                        int n = in.read(head, at, head.length - at);
                        if (n < 0) {
                            throw new CheckpointFormatException(entrySource, "ends inside its header");
                        }
                        at += n;
                    }
                } catch (CheckpointFormatException ex) {
                    throw ex;
                } catch (IOException ex) { // ZipException, EOFException of a cut deflate stream
                    throw new CheckpointFormatException(entrySource, "is corrupt: " + ex.getMessage());
                }
                String name = entry.getName().substring(0, entry.getName().length() - 4);
                tensors.add(parse(
                        entrySource,
                        name,
                        ByteBuffer.wrap(head),
                        entry.getSize(),
                        void2IsBfloat16,
                        () -> ByteBuffer.wrap(PytorchCheckpointReader.readEntry(source, zip, entry))));
            }
            return new NumpyWeightsReader("npz", zip, Collections.unmodifiableList(tensors));
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public List<TensorEntry> tensors() {
        return tensors;
    }

    @Override
    public void close() throws IOException {
        try {
            resource.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /**
     * Reads the preamble and header at the start of {@code head} (an image of {@code length} bytes), checks
     * the data size, and returns the tensor whose bytes {@code whole} loads (the full image).
     */
    private static TensorEntry parse(
            String source, String name, ByteBuffer head, long length, boolean void2, TensorEntry.StorageBytes whole)
            throws IOException {
        ByteBuffer b = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 10) {
            throw new CheckpointFormatException(source, "is too short for an .npy file");
        }
        byte[] magic = new byte[MAGIC.length];
        b.get(0, magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CheckpointFormatException(source, "is not an .npy file (it does not start with \\x93NUMPY)");
        }
        int major = b.get(6);
        if (major < 1 || major > 3 || b.get(7) != 0) {
            throw new CheckpointFormatException(
                    source, "has unsupported .npy format version " + major + "." + b.get(7));
        }
        int prefix = major == 1 ? 10 : 12;
        if (b.remaining() < prefix) {
            throw new CheckpointFormatException(source, "is too short for an .npy file");
        }
        long headerLength = major == 1 ? b.getShort(8) & 0xffff : b.getInt(8) & 0xffffffffL;
        if (headerLength > NpyReader.MAX_HEADER_LENGTH || prefix + headerLength > Math.min(length, b.remaining())) {
            throw new CheckpointFormatException(
                    source,
                    "declares a header of " + headerLength + " bytes, beyond the file or the limit of "
                            + NpyReader.MAX_HEADER_LENGTH);
        }
        byte[] text = new byte[(int) headerLength];
        b.get(prefix, text);
        NpyHeader header = NpyHeader.parse(
                source,
                new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1),
                (s, descr) -> dtype(s, descr, void2));
        TensorDtype dtype = switch (header.dtype().itemSize()) {
            case 8 -> TensorDtype.F64;
            case 4 -> TensorDtype.F32;
            default -> header.dtype().descr().contains("V") ? TensorDtype.BF16 : TensorDtype.F16;
        };
        int[] shape = header.shape();
        long count = 1;
        long[] dims = new long[shape.length];
        for (int k = 0; k < shape.length; k++) {
            dims[k] = shape[k];
            count = TensorEntry.saturatingMultiply(count, shape[k]);
        }
        long dataStart = prefix + headerLength;
        long dataBytes = length - dataStart;
        long needed = TensorEntry.saturatingMultiply(count, dtype.itemSize());
        if (dataBytes != needed) {
            throw new CheckpointFormatException(
                    source,
                    "declares shape " + header.shapeText() + " of "
                            + dtype.typeName() + ", " + (needed == Long.MAX_VALUE ? "too many" : String.valueOf(needed))
                            + " bytes of data, but holds " + dataBytes);
        }
        ByteOrder order = header.dtype().byteOrder();
        TensorEntry.StorageBytes data =
                () -> whole.load().position((int) dataStart).slice().order(order);
        if (!header.fortranOrder()) {
            return TensorEntry.contiguous(source, name, dtype, dims, count, data);
        }
        long[] strides = new long[dims.length];
        long step = 1;
        for (int k = 0; k < dims.length; k++) {
            strides[k] = step;
            step *= dims[k];
        }
        return new TensorEntry(source, name, dtype, dims, strides, 0, count, data);
    }

    private static NpyDtype dtype(String source, String descr, boolean void2) throws NpyFormatException {
        Matcher m = HALF.matcher(descr);
        if (!m.matches()) {
            return NpyDtype.parse(source, descr);
        }
        if (m.group(2).equals("V")) {
            if (!void2) {
                throw new CheckpointFormatException(
                        source,
                        "dtype '" + descr + "' is two bytes of no declared "
                                + "type (ml_dtypes writes bfloat16 so, but so does any 2-byte structured type); if the "
                                + "file holds bfloat16, pass --void2 bfloat16");
            }
            return new NpyDtype(descr, 2, ByteOrder.LITTLE_ENDIAN);
        }
        ByteOrder order = switch (m.group(1)) {
            case ">" -> ByteOrder.BIG_ENDIAN;
            case "<" -> ByteOrder.LITTLE_ENDIAN;
            default -> ByteOrder.nativeOrder();
        };
        return new NpyDtype(descr, 2, order);
    }
}
