package dev.specnorm.cuda;

import java.util.EnumMap;
import java.util.Map;
import jcuda.driver.CUdeviceptr;

/**
 * Device scratch memory reused across calls: one growable region per {@link Slot}. Used only under the
 * device's lock, so one set serves every call; a region is reallocated only when a call needs more.
 */
final class Workspace implements AutoCloseable {

    /** The roles of the scratch regions of one call. */
    enum Slot {
        WEIGHTS,
        GRADIENTS,
        OUTPUTS,
        LEFT,
        RIGHT,
        SCRATCH,
        TEMP,
        SIGMA,
        FAILED,
        FLAGS,
        DOUBLES,
        COEFFICIENTS,
        ROW_SUMS,
        META,
        META2,
        GRAM,
        SOLVER,
        SOLVER_WORK,
        INFO,
        WEIGHTS_SCALED,
        SCRATCH2
    }

    private final CudaDevice device;
    private final Map<Slot, CUdeviceptr> regions = new EnumMap<>(Slot.class);
    private final Map<Slot, Long> sizes = new EnumMap<>(Slot.class);

    Workspace(CudaDevice device) {
        this.device = device;
    }

    /** The region of {@code slot}, at least {@code bytes} long (contents undefined). */
    CUdeviceptr bytes(Slot slot, long bytes) {
        Long have = sizes.get(slot);
        if (have == null || have < bytes) {
            CUdeviceptr old = regions.remove(slot);
            if (old != null) {
                device.synchronize();
                CudaDevice.free(old);
                sizes.remove(slot);
            }
            long size = Math.max(bytes + (bytes >> 3), 256);
            regions.put(slot, device.allocate(size, "workspace " + slot));
            sizes.put(slot, size);
        }
        return regions.get(slot);
    }

    /** A region of {@code count} floats (or ints). */
    CUdeviceptr floats(Slot slot, long count) {
        return bytes(slot, count * 4L);
    }

    /** A region of {@code count} doubles. */
    CUdeviceptr doubles(Slot slot, long count) {
        return bytes(slot, count * 8L);
    }

    /** A region of {@code count} zeroed ints. */
    CUdeviceptr zeroedInts(Slot slot, long count) {
        CUdeviceptr p = floats(slot, count);
        device.zero(p, count);
        return p;
    }

    @Override
    public void close() {
        regions.values().forEach(CudaDevice::free);
        regions.clear();
        sizes.clear();
    }
}
