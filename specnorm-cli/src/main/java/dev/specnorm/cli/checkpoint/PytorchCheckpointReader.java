package dev.specnorm.cli.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * PyTorch checkpoints as {@code torch.save} writes them since 1.6: a zip archive {@code NAME/data.pkl}
 * (the pickled object), {@code NAME/data/KEY} (one raw little-endian storage per key) and
 * {@code NAME/version} (and, since PyTorch 2.1, {@code NAME/byteorder}, which must say {@code little}). The pickle is read by {@link RestrictedUnpickler}, which refuses every global a
 * {@code state_dict} does not need. Tensors are found in the object's dicts, nested dicts named with dots
 * ({@code model.conv1.weight}); other values (an epoch number, optimizer hyper-parameters) are ignored.
 *
 * <p>Refused before allocation: an archive entry whose declared size exceeds the archive (stored entries),
 * {@value #MAX_PICKLE_BYTES} bytes (the pickle) or {@value #MAX_RATIO}× its compressed size (a zip bomb);
 * a storage entry whose size differs from its persistent id's element count times the item size (a
 * truncated storage); a tensor view reaching outside its storage. The legacy format (before 1.6, not a
 * zip) is refused with a hint to re-save.
 */
public final class PytorchCheckpointReader implements TensorSource {

    /** The largest {@code data.pkl} read. */
    public static final long MAX_PICKLE_BYTES = 64L << 20;

    /** The largest ratio of an entry's declared size to its compressed size accepted. */
    public static final long MAX_RATIO = 200;

    private final ZipFile zip;
    private final List<TensorEntry> tensors;

    private PytorchCheckpointReader(ZipFile zip, List<TensorEntry> tensors) {
        this.zip = zip;
        this.tensors = tensors;
    }

    /** A storage the pickle referred to: its entry, dtype and element count. */
    private record Storage(ZipEntry entry, TensorDtype dtype, long elements) {}

    /** A tensor the pickle built, before it has a name. */
    @SuppressWarnings("ArrayRecordComponent") // a private carrier of unpickled metadata, never compared or hashed
    private record Tensor(Storage storage, long offset, long[] size, long[] stride) {}

    /**
     * Opens and validates the checkpoint {@code file}; close the reader when done.
     *
     * @throws CheckpointFormatException if it is not a readable zip checkpoint of a state_dict
     */
    public static PytorchCheckpointReader open(Path file) throws IOException {
        String source = file.toString();
        long archiveSize = Files.size(file);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointFormatException(source, "is not a valid zip archive: " + e.getMessage());
        }
        try {
            ZipEntry pickle = null;
            Map<String, ZipEntry> entries = new HashMap<>();
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                checkDeclaredSize(source, entry, archiveSize);
                entries.put(entry.getName(), entry);
                if (entry.getName().endsWith("/data.pkl")
                        && entry.getName().indexOf('/') == entry.getName().length() - 9) {
                    if (pickle != null) {
                        throw new CheckpointFormatException(source, "holds two data.pkl entries");
                    }
                    pickle = entry;
                }
            }
            if (pickle == null) {
                throw new CheckpointFormatException(
                        source, "is a zip archive without ARCHIVE/data.pkl: not a " + "PyTorch checkpoint");
            }
            if (pickle.getSize() > MAX_PICKLE_BYTES) {
                throw new CheckpointFormatException(
                        source,
                        "declares a data.pkl of " + pickle.getSize() + " bytes, more than the limit of "
                                + MAX_PICKLE_BYTES);
            }
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            ZipEntry byteOrder = entries.get(prefix + "byteorder");
            if (byteOrder != null) {
                String order = byteOrder.getSize() <= 16
                        ? new String(readEntry(source, zip, byteOrder), StandardCharsets.US_ASCII).strip()
                        : "(" + byteOrder.getSize() + " bytes)";
                if (!order.equals("little")) {
                    throw new CheckpointFormatException(
                            source,
                            "declares byte order '" + order
                                    + "'; specnorm reads little-endian checkpoints (what torch.save writes on x86 and ARM)");
                }
            }
            byte[] bytes = readEntry(source, zip, pickle);
            Map<String, Storage> storages = new HashMap<>();
            RestrictedUnpickler.Builder builder = new RestrictedUnpickler.Builder() {
                @Override
                public Object storage(TensorDtype dtype, String key, long elements) throws CheckpointFormatException {
                    Storage known = storages.get(key);
                    if (known != null) {
                        return known;
                    }
                    ZipEntry entry = entries.get(prefix + "data/" + key);
                    if (entry == null) {
                        throw new CheckpointFormatException(
                                source, "storage '" + key + "' has no entry " + prefix + "data/" + key);
                    }
                    long needed = TensorEntry.saturatingMultiply(elements, dtype.itemSize());
                    if (elements < 0 || entry.getSize() != needed) {
                        throw new CheckpointFormatException(
                                source,
                                "storage '" + key + "' of " + elements + " "
                                        + dtype.typeName() + " elements needs " + needed + " bytes, its entry holds "
                                        + entry.getSize() + " (truncated or corrupt)");
                    }
                    if (needed > Integer.MAX_VALUE) {
                        throw new CheckpointFormatException(
                                source,
                                "storage '" + key + "' holds " + needed
                                        + " bytes; specnorm reads storages of at most 2 GiB");
                    }
                    Storage s = new Storage(entry, dtype, elements);
                    storages.put(key, s);
                    return s;
                }

                @Override
                public Object tensor(Object storage, long offset, long[] size, long[] stride)
                        throws CheckpointFormatException {
                    if (!(storage instanceof Storage s)) {
                        throw new CheckpointFormatException(source, "_rebuild_tensor_v2 without a storage");
                    }
                    return new Tensor(s, offset, size, stride);
                }
            };
            Object root = RestrictedUnpickler.load(source + ":" + pickle.getName(), bytes, builder);
            Map<Storage, StorageCache> caches = new HashMap<>();
            List<TensorEntry> tensors = new ArrayList<>();
            collect(source, zip, root, "", tensors, caches);
            return new PytorchCheckpointReader(zip, Collections.unmodifiableList(tensors));
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    @Override
    public String format() {
        return "pytorch";
    }

    @Override
    public List<TensorEntry> tensors() {
        return tensors;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** Loads a storage once, however many tensors share it, and keeps it while one of them is being read. */
    private static final class StorageCache {
        private final String source;
        private final ZipFile zip;
        private final Storage storage;
        private SoftReference<ByteBuffer> loaded = new SoftReference<>(null);

        StorageCache(String source, ZipFile zip, Storage storage) {
            this.source = source;
            this.zip = zip;
            this.storage = storage;
        }

        synchronized ByteBuffer load() throws IOException {
            ByteBuffer b = loaded.get();
            if (b == null) {
                b = ByteBuffer.wrap(readEntry(source, zip, storage.entry())).order(ByteOrder.LITTLE_ENDIAN);
                loaded = new SoftReference<>(b);
            }
            return b;
        }
    }

    private static void collect(
            String source,
            ZipFile zip,
            Object value,
            String name,
            List<TensorEntry> out,
            Map<Storage, StorageCache> caches)
            throws CheckpointFormatException {
        if (value instanceof Tensor t) {
            StorageCache cache = caches.computeIfAbsent(t.storage(), s -> new StorageCache(source, zip, s));
            out.add(new TensorEntry(
                    source,
                    name,
                    t.storage().dtype(),
                    t.size(),
                    t.stride(),
                    t.offset(),
                    t.storage().elements(),
                    cache::load));
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                collect(source, zip, e.getValue(), name.isEmpty() ? key : name + "." + key, out, caches);
            }
        }
    }

    static void checkDeclaredSize(String source, ZipEntry entry, long archiveSize) throws CheckpointFormatException {
        long size = entry.getSize();
        long compressed = entry.getCompressedSize();
        boolean stored = entry.getMethod() == ZipEntry.STORED;
        if (size < 0 || compressed < 0) {
            throw new CheckpointFormatException(source, "entry " + entry.getName() + " does not declare its size");
        }
        if (compressed > archiveSize || (stored && size > archiveSize)) {
            throw new CheckpointFormatException(
                    source,
                    "entry " + entry.getName() + " declares " + size + " bytes, more than the archive's "
                            + archiveSize);
        }
        if (!stored && size > MAX_RATIO * Math.max(compressed, 1)) {
            throw new CheckpointFormatException(
                    source,
                    "entry " + entry.getName() + " declares " + size + " bytes from " + compressed
                            + " compressed, a ratio above " + MAX_RATIO + " (a zip bomb?)");
        }
    }

    /** Reads an entry whose declared size was checked; more or fewer bytes than declared is corruption. */
    static byte[] readEntry(String source, ZipFile zip, ZipEntry entry) throws IOException {
        byte[] bytes = new byte[(int) entry.getSize()];
        try (InputStream in = zip.getInputStream(entry)) {
            int at = 0;
            while (at < bytes.length) {
                int n = in.read(bytes, at, bytes.length - at);
                if (n < 0) {
                    throw new CheckpointFormatException(
                            source,
                            "entry " + entry.getName() + " ends after " + at + " of its declared " + bytes.length
                                    + " bytes");
                }
                at += n;
            }
            if (in.read() >= 0) {
                throw new CheckpointFormatException(
                        source,
                        "entry " + entry.getName() + " holds more than its declared " + bytes.length + " bytes");
            }
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (IOException e) { // ZipException, EOFException of a cut deflate stream
            throw new CheckpointFormatException(source, "entry " + entry.getName() + " is corrupt: " + e.getMessage());
        }
        return bytes;
    }
}
