package dev.specnorm.cli.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy {@code .npz} archives: a zip of {@code .npy} files, one per named array, as {@code numpy.savez}
 * (stored entries) and {@code numpy.savez_compressed} (deflated entries) write them. Reading accepts both;
 * writing deflates, and NumPy reads the result with {@code numpy.load}.
 */
public final class NpzArchive {

    private static final String SUFFIX = ".npy";

    private NpzArchive() {}

    /**
     * Reads the arrays {@code names} (without the {@code .npy} suffix) from the archive at {@code file};
     * other entries are ignored.
     *
     * @return the arrays by name, in the order asked
     * @throws NpyFormatException if the file is not a zip archive, an array is missing, or an entry is not
     *                            a valid {@code .npy} file
     */
    public static Map<String, NpyArray> read(Path file, String... names) throws IOException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new NpyFormatException(source, "is a directory, not an .npz file");
        }
        Files.size(file); // a missing file fails here with NoSuchFileException, not as a zip error
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, NpyArray> arrays = new LinkedHashMap<>();
            for (String name : names) {
                ZipEntry entry = zip.getEntry(name + SUFFIX);
                if (entry == null) {
                    throw new NpyFormatException(
                            source, "has no array '" + name + "' (no entry " + name + SUFFIX + ")");
                }
                String entrySource = source + ":" + entry.getName();
                if (entry.getSize() < 0) {
                    throw new NpyFormatException(entrySource, "entry size unknown");
                }
                try (InputStream in = new BufferedInputStream(zip.getInputStream(entry))) {
                    arrays.put(name, NpyReader.read(in, entry.getSize(), entrySource));
                } catch (ZipException e) {
                    throw new NpyFormatException(entrySource, "corrupt archive entry: " + e.getMessage());
                }
            }
            return arrays;
        } catch (ZipException e) {
            throw new NpyFormatException(source, "is not a valid .npz (zip) archive: " + e.getMessage());
        }
    }

    /** Writes {@code arrays} to {@code out} (closed when done) as an archive NumPy's {@code load} reads. */
    public static void write(Map<String, NpyArray> arrays, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + SUFFIX));
                NpyWriter.write(e.getValue(), zip);
                zip.closeEntry();
            }
        }
    }
}
