package dev.specnorm.cli.checkpoint;

import java.io.IOException;
import java.util.List;

/**
 * The tensors of one checkpoint file, in the file's order, validated when the source was opened; their
 * data are read on demand ({@link TensorEntry#toFloat32()}) while the source is open.
 */
public interface TensorSource extends AutoCloseable {

    /** The format's name as reports print it: {@code safetensors}, {@code pytorch}, {@code npz}, {@code npy}. */
    String format();

    /** Every tensor, in file order. */
    List<TensorEntry> tensors();

    @Override
    void close() throws IOException;
}
