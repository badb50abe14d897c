package dev.specnorm.cli.checkpoint;

import dev.specnorm.cli.io.NpyFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Opens a checkpoint file by what its first bytes say it is: a zip archive holding {@code data.pkl}
 * (PyTorch), other zip archives ({@code .npz}), {@code \x93NUMPY} ({@code .npy}), a pickle
 * (the legacy PyTorch format, refused), otherwise safetensors (an 8-byte length and a JSON object).
 */
public final class Checkpoints {

    /** File name endings taken as checkpoints when a directory is inspected. */
    public static final List<String> SUFFIXES = List.of(".safetensors", ".pt", ".pth", ".bin", ".ckpt", ".npz", ".npy");

    private Checkpoints() {}

    /**
     * Opens {@code file}.
     *
     * @param void2IsBfloat16 whether NumPy {@code '|V2'} arrays hold bfloat16
     * @throws CheckpointFormatException if it is none of the formats read, or malformed
     */
    public static TensorSource open(Path file, boolean void2IsBfloat16) throws IOException {
        try {
            return dispatch(file, void2IsBfloat16);
        } catch (NpyFormatException | NoSuchFileException | AccessDeniedException e) {
            throw e;
        } catch (IOException e) { // the zip library's EOFException and kin on a damaged archive
            throw new CheckpointFormatException(file.toString(), "is damaged or truncated: " + e);
        }
    }

    private static TensorSource dispatch(Path file, boolean void2IsBfloat16) throws IOException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new CheckpointFormatException(source, "is a directory");
        }
        byte[] start = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(start, 0, start.length);
        }
        if (n >= 4 && start[0] == 'P' && start[1] == 'K' && (start[2] == 3 || start[2] == 5)) {
            return isPytorch(file)
                    ? PytorchCheckpointReader.open(file)
                    : NumpyWeightsReader.openNpz(file, void2IsBfloat16);
        }
        if (n >= 6 && (start[0] & 0xff) == 0x93 && start[1] == 'N' && start[2] == 'U') {
            return NumpyWeightsReader.openNpy(file, void2IsBfloat16);
        }
        if (n >= 2 && (start[0] & 0xff) == 0x80 && start[1] >= 1 && start[1] <= 5) {
            throw new CheckpointFormatException(
                    source,
                    "is a bare pickle (the legacy torch.save format before "
                            + "PyTorch 1.6, or a pickled object); specnorm reads only zip checkpoints: re-save it with "
                            + "torch.save(torch.load(path), new_path) in PyTorch 1.6 or later");
        }
        if ((n == 9 && start[8] == '{') || source.toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            return SafetensorsReader.open(file);
        }
        throw new CheckpointFormatException(
                source, "is not a checkpoint specnorm reads (safetensors, PyTorch zip " + "checkpoint, .npz or .npy)");
    }

    private static boolean isPytorch(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                if (e.nextElement().getName().endsWith("/data.pkl")) {
                    return true;
                }
            }
            return false;
        } catch (ZipException e) {
            throw new CheckpointFormatException(file.toString(), "is not a valid zip archive: " + e.getMessage());
        }
    }
}
