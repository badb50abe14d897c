package dev.specnorm.api.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.SpectralBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Places a test's operands in one {@link Storage} of the backend under test, reads outputs back to the
 * host, checks that no input was modified (bit for bit, in the place the operation read it and in the
 * caller's original array), and closes every buffer it made.
 */
public final class Operands implements AutoCloseable {

    private final SpectralBackend backend;
    private final Storage storage;
    private final List<BatchBuffer> buffers = new ArrayList<>();
    private final List<Matrices> inputs = new ArrayList<>();
    private final List<MatrixBatch> originals = new ArrayList<>();
    private final List<float[]> snapshots = new ArrayList<>();

    /** Operands of {@code backend} in {@code storage}. */
    public Operands(SpectralBackend backend, Storage storage) {
        this.backend = backend;
        this.storage = storage;
    }

    /** The storage. */
    public Storage storage() {
        return storage;
    }

    /** The batches as inputs in this storage; each is remembered to check it is left unchanged. */
    public List<Matrices> inputs(List<MatrixBatch> host) {
        List<Matrices> out = new ArrayList<>();
        for (MatrixBatch b : host) {
            out.add(input(b));
        }
        return out;
    }

    /** One batch as an input in this storage. */
    public Matrices input(MatrixBatch host) {
        Matrices m = switch (storage) {
            case HOST -> host;
            case DIRECT -> direct(host);
            case BUFFER -> track(backend.upload(host));
        };
        inputs.add(m);
        originals.add(host);
        snapshots.add(host.toArray());
        return m;
    }

    /** Zero-filled outputs of {@code shapes} in this storage. */
    public List<Matrices> outputs(List<BatchShape> shapes) {
        List<Matrices> out = new ArrayList<>();
        for (BatchShape s : shapes) {
            out.add(output(s));
        }
        return out;
    }

    /** One zero-filled output. */
    public Matrices output(BatchShape shape) {
        return switch (storage) {
            case HOST -> MatrixBatch.zeros(shape);
            case DIRECT -> direct(MatrixBatch.zeros(shape));
            case BUFFER -> track(backend.allocate(shape));
        };
    }

    /** A host copy of an operand of any storage. */
    public static MatrixBatch read(Matrices m) {
        if (m instanceof BatchBuffer b) {
            return b.toHost();
        }
        MatrixBatch h = (MatrixBatch) m;
        BatchShape s = h.shape();
        return MatrixBatch.of(h.toArray(), s.batch(), s.rows(), s.cols());
    }

    /** Host copies of every operand. */
    public static List<MatrixBatch> read(List<Matrices> list) {
        List<MatrixBatch> out = new ArrayList<>();
        for (Matrices m : list) {
            out.add(read(m));
        }
        return out;
    }

    /** Asserts that every input still holds exactly what it held when it was placed. */
    public void assertInputsUnchanged() {
        for (int k = 0; k < inputs.size(); k++) {
            assertArrayEquals(
                    snapshots.get(k), read(inputs.get(k)).toArray(), "input " + k + " (" + storage + ") was modified");
            assertArrayEquals(
                    snapshots.get(k), originals.get(k).toArray(), "the caller's array of input " + k + " was modified");
        }
    }

    /** Closes every buffer this object made. */
    @Override
    public void close() {
        for (BatchBuffer b : buffers) {
            b.close();
        }
        buffers.clear();
    }

    private BatchBuffer track(BatchBuffer b) {
        buffers.add(b);
        return b;
    }

    /** A copy of {@code host} in a direct, native-order FloatBuffer. */
    public static MatrixBatch direct(MatrixBatch host) {
        BatchShape s = host.shape();
        FloatBuffer fb = ByteBuffer.allocateDirect(4 * s.elementCount())
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        fb.put(host.toArray()).flip();
        return MatrixBatch.of(fb, s.batch(), s.rows(), s.cols());
    }
}
