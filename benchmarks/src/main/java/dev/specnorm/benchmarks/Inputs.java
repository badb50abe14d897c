package dev.specnorm.benchmarks;

import dev.specnorm.api.Backends;
import dev.specnorm.api.SeededGaussian;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.cpu.CpuEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * What every benchmark's setup needs: the CPU backend, and inputs drawn from {@link SeededGaussian}, so
 * every machine, and {@code compare_numpy.py} (which reimplements the generator), sees the same matrices.
 */
final class Inputs {

    /** The seed of every benchmark input (SPEC.md's default seed). */
    static final long SEED = 0;

    /** JVM options of every benchmark fork: room for the 1 GiB copy and the largest matrices. */
    static final String HEAP_MIN = "-Xms4g";

    static final String HEAP_MAX = "-Xmx4g";

    /**
     * Every fork adds the Vector API module, so the CPU backend's row kernels use it (VectorSupport); the
     * plain loops are measured with {@code -jvmArgsPrepend -Dspecnorm.cpu.vector=false} (prepend: the annotations set no prepend, so nothing of theirs is replaced).
     */
    static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    private Inputs() {}

    /**
     * The CPU backend, by name, so that a missing provider fails instead of falling back; prints the CPU
     * path in use ({@code cpu path: native OpenBLAS …} or {@code cpu path: pure Java (…)}) for compare.sh.
     */
    static SpectralBackend cpu() {
        SpectralBackend backend = Backends.open("cpu");
        System.out.println("cpu path: " + CpuEngine.path());
        return backend;
    }

    /** A CPU engine with {@code threads} threads per call (the caller's included) on the default CPU path. */
    static SpectralBackend cpu(int threads) {
        System.out.println("cpu path: " + CpuEngine.path() + ", " + threads + " thread(s)");
        return SpectralBackend.forEngine(new CpuEngine(threads));
    }

    /** {@code count} draws of N(0, std²) from stream {@code stream} of {@link #SEED}. */
    static float[] gaussian(int stream, int count, double std) {
        SeededGaussian g = new SeededGaussian(SEED, stream);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) (std * g.nextGaussian());
        }
        return x;
    }

    /** {@code count} draws of N(0, 1) from stream {@code stream} of {@link #SEED}. */
    static float[] gaussian(int stream, int count) {
        return gaussian(stream, count, 1.0);
    }

    /** A direct native-order buffer of {@code floats} zeros, as the DL4J and DJL adapters pass operands. */
    static FloatBuffer directBuffer(int floats) {
        return ByteBuffer.allocateDirect(4 * floats)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /** A direct native-order buffer holding {@code values}. */
    static FloatBuffer directBuffer(float[] values) {
        return directBuffer(values.length).put(values).flip();
    }
}
