package dev.specnorm.cuda;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.spi.FlatIndex;
import dev.specnorm.api.spi.ResultChecks;
import java.util.List;
import jcuda.driver.CUdeviceptr;

/**
 * The operands of one call on the device: each batch of the list as a device pointer. Buffers of the
 * engine are used in place; host batches are copied into a workspace slot (inputs) or computed there and
 * copied back by {@link #flush()} (outputs). Matrix k of the flattened list belongs to batch
 * {@link #entryOf(int)}, starting at matrix {@link #first(int)} of the list.
 */
final class DeviceOperands {

    private final CudaDevice device;
    private final List<? extends Matrices> list;
    private final CUdeviceptr[] pointers;
    private final FlatIndex index;

    private DeviceOperands(CudaDevice device, List<? extends Matrices> list, Workspace.Slot slot, boolean upload) {
        this.device = device;
        this.list = list;
        int entries = list.size();
        pointers = new CUdeviceptr[entries];
        index = FlatIndex.of(list);
        long hostFloats = 0;
        for (int e = 0; e < entries; e++) {
            if (!(list.get(e) instanceof CudaBuffer)) {
                hostFloats += index.shape(e).elementCount();
            }
        }
        CUdeviceptr staged = hostFloats > 0 ? device.workspace().floats(slot, hostFloats) : null;
        long offset = 0;
        for (int e = 0; e < entries; e++) {
            Matrices m = list.get(e);
            if (m instanceof CudaBuffer b) {
                b.awaitCaller();
                pointers[e] = b.pointer();
            } else {
                pointers[e] = staged.withByteOffset(offset * 4L);
                if (upload) {
                    device.upload(((MatrixBatch) m).buffer(), pointers[e]);
                }
                offset += m.shape().elementCount();
            }
        }
    }

    /** Inputs: host batches are uploaded into {@code slot}. */
    static DeviceOperands input(CudaDevice device, List<? extends Matrices> list, Workspace.Slot slot) {
        return new DeviceOperands(device, list, slot, true);
    }

    /** Outputs (or null for none): host batches get room in {@code slot}; call {@link #flush()} after. */
    static DeviceOperands output(CudaDevice device, List<? extends Matrices> list, Workspace.Slot slot) {
        return list == null ? null : new DeviceOperands(device, list, slot, false);
    }

    int entries() {
        return pointers.length;
    }

    /** Total matrices. */
    int count() {
        return index.count();
    }

    BatchShape shape(int entry) {
        return index.shape(entry);
    }

    CUdeviceptr pointer(int entry) {
        return pointers[entry];
    }

    /** The first matrix of batch {@code entry}; {@code first(entries())} is the total. */
    int first(int entry) {
        return index.first(entry);
    }

    int entryOf(int k) {
        return index.batchOf(k);
    }

    int rows(int k) {
        return index.rows(k);
    }

    int cols(int k) {
        return index.cols(k);
    }

    /** The device pointer of matrix k. */
    CUdeviceptr matrix(int k) {
        return pointers[index.batchOf(k)].withByteOffset(index.offsetInBatch(k) * 4L);
    }

    /** Matrix k copied to the host (for the rare checks that need its entries). */
    float[] download(int k) {
        return device.downloadFloats(matrix(k), index.shapeOf(k).matrixSize());
    }

    /** Whether every entry of matrix k is finite (downloads it: only on a failure path). */
    boolean finite(int k) {
        float[] w = download(k);
        return ResultChecks.inputIsFinite(w, 0, w.length);
    }

    /** The first non-finite entry of matrix k as "what entry i = x" (downloads it: only on a failure path). */
    String firstNonFinite(int k, String what) {
        float[] w = download(k);
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                return what + " entry " + i + " = " + w[i];
            }
        }
        return what + " is not finite";
    }

    /** Copies host outputs back from the device. */
    void flush() {
        for (int e = 0; e < pointers.length; e++) {
            if (!(list.get(e) instanceof CudaBuffer)) {
                device.download(pointers[e], ((MatrixBatch) list.get(e)).buffer());
            }
        }
    }
}
