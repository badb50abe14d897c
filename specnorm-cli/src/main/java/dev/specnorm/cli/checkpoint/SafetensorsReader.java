package dev.specnorm.cli.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Hugging Face {@code .safetensors} files: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype": "F16", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}),
 * then the data section, tensors stored little-endian, C order, at byte offsets relative to the section.
 *
 * <p>Before anything is allocated: N must fit in the file and be at most {@value #MAX_HEADER_BYTES} bytes
 * (the reference implementation's limit); every tensor's {@code end − begin} must equal its element count
 * times its item size, lie inside the data section, and no two tensors may overlap. The data are
 * memory-mapped per tensor, so a multi-gigabyte file is never loaded whole.
 */
public final class SafetensorsReader implements TensorSource {

    /** The largest JSON header accepted (the reference implementation's limit, 100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final JsonFactory JSON = new JsonFactory();

    private final FileChannel channel;
    private final List<TensorEntry> tensors;

    @SuppressWarnings("ArrayRecordComponent") // a private carrier of header entries, never compared or hashed
    private record Declared(String name, TensorDtype dtype, long[] shape, long begin, long end) {}

    private SafetensorsReader(FileChannel channel, List<TensorEntry> tensors) {
        this.channel = channel;
        this.tensors = tensors;
    }

    /**
     * Opens and validates {@code file}; close the reader when done.
     *
     * @throws CheckpointFormatException if it is not a valid safetensors file
     */
    public static SafetensorsReader open(Path file) throws IOException {
        String source = file.toString();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 8) {
                throw new CheckpointFormatException(
                        source, "is " + size + " bytes, too short for a safetensors header");
            }
            ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthField, 0, source);
            long headerLength = lengthField.getLong(0);
            if (headerLength < 2 || headerLength > size - 8) {
                throw new CheckpointFormatException(
                        source,
                        "declares a header of " + Long.toUnsignedString(headerLength) + " bytes, but the file holds "
                                + (size - 8) + " after the length field");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new CheckpointFormatException(
                        source,
                        "declares a header of " + headerLength + " bytes, more than the limit of " + MAX_HEADER_BYTES);
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8, source);
            long dataStart = 8 + headerLength;
            List<Declared> declared = parseHeader(source, header.array());
            List<TensorEntry> tensors = validate(source, declared, size - dataStart, channel, dataStart);
            return new SafetensorsReader(channel, tensors);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public String format() {
        return "safetensors";
    }

    @Override
    public List<TensorEntry> tensors() {
        return tensors;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static List<TensorEntry> validate(
            String source, List<Declared> declared, long dataSize, FileChannel channel, long dataStart)
            throws CheckpointFormatException {
        for (Declared d : declared) {
            long count = 1;
            for (long s : d.shape()) {
                count = TensorEntry.saturatingMultiply(count, s);
            }
            long bytes = TensorEntry.saturatingMultiply(count, d.dtype().itemSize());
            if (d.begin() > d.end() || d.end() > dataSize) {
                throw new CheckpointFormatException(
                        source,
                        "tensor '" + d.name() + "' has data_offsets [" + d.begin() + ", " + d.end()
                                + "] outside the data section of " + dataSize + " bytes");
            }
            if (d.end() - d.begin() != bytes) {
                throw new CheckpointFormatException(
                        source,
                        "tensor '" + d.name() + "' of " + d.dtype()
                                + " shape " + Arrays.toString(d.shape()) + " needs "
                                + (bytes == Long.MAX_VALUE ? "too many" : String.valueOf(bytes))
                                + " bytes, its data_offsets ["
                                + d.begin() + ", " + d.end() + "] span " + (d.end() - d.begin()));
            }
            if (bytes > Integer.MAX_VALUE) {
                throw new CheckpointFormatException(
                        source,
                        "tensor '" + d.name() + "' holds " + bytes + " bytes; specnorm reads tensors of at most 2 GiB");
            }
        }
        List<Declared> byOffset = new ArrayList<>(declared);
        byOffset.sort(Comparator.comparingLong(Declared::begin).thenComparingLong(Declared::end));
        for (int k = 1; k < byOffset.size(); k++) {
            Declared a = byOffset.get(k - 1);
            Declared b = byOffset.get(k);
            if (b.begin() < a.end()) {
                throw new CheckpointFormatException(
                        source,
                        "tensors '" + a.name() + "' [" + a.begin() + ", " + a.end() + "] and '" + b.name() + "' ["
                                + b.begin() + ", " + b.end() + "] overlap");
            }
        }
        List<TensorEntry> tensors = new ArrayList<>(declared.size());
        for (Declared d : declared) {
            long position = dataStart + d.begin();
            int length = (int) (d.end() - d.begin());
            TensorEntry.StorageBytes bytes = () ->
                    channel.map(FileChannel.MapMode.READ_ONLY, position, length).order(ByteOrder.LITTLE_ENDIAN);
            long elements = length / d.dtype().itemSize();
            tensors.add(TensorEntry.contiguous(source, d.name(), d.dtype(), d.shape(), elements, bytes));
        }
        return tensors;
    }

    private static List<Declared> parseHeader(String source, byte[] header) throws CheckpointFormatException {
        List<Declared> declared = new ArrayList<>();
        try (JsonParser p = JSON.createParser(header)) {
            expect(source, p.nextToken() == JsonToken.START_OBJECT, "header is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                expect(source, p.nextToken() == JsonToken.START_OBJECT, "header entry '" + name + "' is not an object");
                if (name.equals("__metadata__")) {
                    p.skipChildren();
                    continue;
                }
                declared.add(parseTensor(source, name, p));
            }
            expect(
                    source,
                    p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null,
                    "header has text after its JSON object");
        } catch (JsonParseException e) {
            throw new CheckpointFormatException(source, "header is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CheckpointFormatException(source, "header cannot be parsed: " + e.getMessage());
        }
        return declared;
    }

    private static Declared parseTensor(String source, String name, JsonParser p) throws IOException {
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            switch (key) {
                case "dtype" -> {
                    expect(source, value == JsonToken.VALUE_STRING, "tensor '" + name + "' dtype is not a string");
                    dtypeName = p.getText();
                }
                case "shape" -> shape = integers(source, name, key, p);
                case "data_offsets" -> offsets = integers(source, name, key, p);
                default ->
                    throw new CheckpointFormatException(source, "tensor '" + name + "' has unknown key '" + key + "'");
            }
        }
        expect(
                source,
                dtypeName != null && shape != null && offsets != null,
                "tensor '" + name + "' lacks one of dtype, shape, data_offsets");
        expect(source, offsets.length == 2, "tensor '" + name + "' data_offsets is not [begin, end]");
        TensorDtype dtype = TensorDtype.ofSafetensorsName(dtypeName);
        if (dtype == null) {
            throw new CheckpointFormatException(source, "tensor '" + name + "' has unknown dtype '" + dtypeName + "'");
        }
        return new Declared(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] integers(String source, String name, String key, JsonParser p) throws IOException {
        expect(source, p.currentToken() == JsonToken.START_ARRAY, "tensor '" + name + "' " + key + " is not an array");
        List<Long> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(
                    source,
                    p.currentToken() == JsonToken.VALUE_NUMBER_INT
                            && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER,
                    "tensor '" + name + "' " + key + " holds " + p.getText() + ", not an integer of 64 bits");
            long v = p.getLongValue();
            expect(source, v >= 0, "tensor '" + name + "' " + key + " holds the negative value " + v);
            expect(source, values.size() < 64, "tensor '" + name + "' " + key + " has more than 64 entries");
            values.add(v);
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static void expect(String source, boolean condition, String problem) throws CheckpointFormatException {
        if (!condition) {
            throw new CheckpointFormatException(source, problem);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position, String source)
            throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new CheckpointFormatException(source, "ends inside its header");
            }
            at += n;
        }
    }
}
