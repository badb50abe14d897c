package dev.specnorm.api.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.StateLayout;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/**
 * A table of invalid calls, one defect each, covering every public entry point of
 * {@link SpectralBackend} (issue "Errors"): null, empty list, null element, mismatched output shape or
 * count, read-only output, output that is an input, closed or foreign buffer and state, state of another
 * layout or operator, negative iterations, non-finite β or λ, top-k vectors above the rank, bad import
 * arrays. Each expects {@link IllegalArgumentException} or {@link NullPointerException} whose message
 * names the argument; {@link Fixture#assertUntouched(String)} then checks that no state and no input changed.
 */
public final class InvalidCalls {

    /** The owner named by the foreign state and buffer: a backend other than the one under test. */
    private static final String FOREIGN = "elsewhere";

    private InvalidCalls() {}

    /**
     * One invalid call.
     *
     * @param name     what it does wrong
     * @param expected the exception type
     * @param names    a fragment the message must contain (the argument's name)
     * @param call     the call
     */
    public record Invalid(String name, Class<? extends RuntimeException> expected, String names, Executable call) {
        /** Runs the call and checks the exception and its message. */
        public void check() {
            RuntimeException e = assertThrows(expected, call, name);
            String message = String.valueOf(e.getMessage());
            assertTrue(message.contains(names), name + ": the message must name '" + names + "': " + message);
        }
    }

    /** The valid objects the invalid calls are built around; closes what it made. */
    public static final class Fixture implements AutoCloseable {
        /** A valid host batch, 2×6×4. */
        public final MatrixBatch w = TestMatrices.gaussian(901, 2, 6, 4, 1);
        /** The same batch as a list. */
        public final List<MatrixBatch> ws = List.of(w);
        /** A batch of another shape. */
        public final MatrixBatch other = TestMatrices.gaussian(902, 2, 4, 6, 1);
        /** Gradient input. */
        public final MatrixBatch g = TestMatrices.gaussian(903, 2, 6, 4, 1);
        /** Power-iteration state on {@link #w}, one vector. */
        public final PowerState state;
        /** SRIP state on {@link #w}. */
        public final PowerState sripState;
        /** Top-2 state on {@link #w}. */
        public final PowerState topState;
        /** A closed state of this backend. */
        public final PowerState closedState;
        /** A state owned by another backend. */
        public final PowerState foreignState;
        /** A closed buffer of this backend. */
        public final BatchBuffer closedBuffer;
        /** A buffer owned by another backend. */
        public final BatchBuffer foreignBuffer;
        /** A read-only host output of {@link #w}'s shape. */
        public final MatrixBatch readOnly;

        private final float[] wCopy;
        private final float[] gCopy;
        private final List<PowerState> watched;
        private final List<ContractSupport.Snapshot> snapshots = new ArrayList<>();

        /** Builds the fixture on {@code backend}. */
        public Fixture(SpectralBackend backend) {
            state = backend.newPowerState(w, PowerOptions.DEFAULT);
            sripState = backend.newSripState(ws, PowerOptions.DEFAULT);
            topState = backend.newPowerState(w, PowerOptions.DEFAULT.withVectors(2));
            closedState = backend.newPowerState(w, PowerOptions.DEFAULT);
            closedState.close();
            foreignState = new ArrayPowerState(StateLayout.forWeights(ws, StateLayout.Operator.MATRIX, 1), FOREIGN);
            closedBuffer = backend.upload(w);
            closedBuffer.close();
            foreignBuffer = new ArrayBatchBuffer(w.shape(), FOREIGN);
            readOnly = MatrixBatch.of(
                    FloatBuffer.wrap(new float[w.shape().elementCount()]).asReadOnlyBuffer(), 2, 6, 4);
            wCopy = w.toArray();
            gCopy = g.toArray();
            watched = List.of(state, sripState, topState);
            for (PowerState s : watched) {
                snapshots.add(ContractSupport.Snapshot.of(s));
            }
        }

        /** A fresh zero output of {@link #w}'s shape. */
        public MatrixBatch out() {
            return MatrixBatch.zeros(w.shape());
        }

        /** Asserts that no state moved and no input changed. */
        public void assertUntouched(String when) {
            for (int k = 0; k < watched.size(); k++) {
                snapshots.get(k).assertSame(watched.get(k), when);
            }
            assertArrayEquals(wCopy, w.toArray(), when + ": weights modified");
            assertArrayEquals(gCopy, g.toArray(), when + ": gradOutput modified");
        }

        @Override
        public void close() {
            state.close();
            sripState.close();
            topState.close();
        }
    }

    /** Every invalid call on {@code b} around {@code f}. */
    public static List<Invalid> all(SpectralBackend b, Fixture f) {
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<NullPointerException> npe = NullPointerException.class;
        List<Matrices> withNull = Arrays.asList(f.w, null);
        BatchShape shape = f.w.shape();
        float[] u = f.state.exportU();
        float[] v = f.state.exportV();
        List<BatchShape> shapes = List.of(shape);
        List<Invalid> t = new ArrayList<>();

        // buffers
        t.add(new Invalid("allocate(null)", npe, "shape", () -> b.allocate(null)));
        t.add(new Invalid("upload(null)", npe, "host", () -> b.upload(null)));
        t.add(new Invalid("wrapDevice at address 0", iae, "address", () -> b.wrapDevice(0, shape, 0)));
        t.add(new Invalid("wrapDevice without shape", npe, "shape", () -> b.wrapDevice(1, null, 0)));

        // exact
        t.add(new Invalid("svd(null)", npe, "weights", () -> b.svd(null, false)));
        t.add(new Invalid("svd(empty list)", iae, "weights", () -> b.svd(List.of(), true)));
        t.add(new Invalid("svd with a null batch", npe, "weights[1]", () -> b.svd(withNull, false)));
        t.add(new Invalid("svd of a closed buffer", iae, "closed", () -> b.svd(List.of(f.closedBuffer), false)));
        t.add(new Invalid(
                "svd of another backend's buffer", iae, "weights", () -> b.svd(List.of(f.foreignBuffer), false)));
        t.add(new Invalid("singularValues(null)", npe, "weights", () -> b.singularValues(null)));
        t.add(new Invalid("spectralNorm(null list)", npe, "weights", () -> b.spectralNorm((List<Matrices>) null)));
        t.add(new Invalid("spectralNorm(null batch)", npe, "weights", () -> b.spectralNorm((Matrices) null)));
        t.add(new Invalid("spectralNorm(empty list)", iae, "weights", () -> b.spectralNorm(List.of())));
        t.add(new Invalid("spectralNorm(null array)", npe, "data", () -> b.spectralNorm(null, 2, 3)));
        t.add(new Invalid(
                "spectralNorm of an array of the wrong length", iae, "data", () -> b.spectralNorm(new float[5], 2, 3)));
        t.add(new Invalid("spectralNorm with 0 rows", iae, "rows", () -> b.spectralNorm(new float[0], 0, 3)));
        t.add(new Invalid("singularValues(null array)", npe, "data", () -> b.singularValues(null, 2, 3)));
        t.add(new Invalid(
                "singularValues of an array of the wrong length",
                iae,
                "data",
                () -> b.singularValues(new float[5], 2, 3)));
        t.add(new Invalid("lanczos without options", npe, "options", () -> b.lanczos(f.ws, null)));
        t.add(new Invalid("lanczos(null list)", npe, "weights", () -> b.lanczos(null, LanczosOptions.DEFAULT)));
        t.add(new Invalid("lanczos(null batch)", npe, "weights", () -> b.lanczos((Matrices) null)));
        t.add(new Invalid(
                "lanczos of a closed buffer",
                iae,
                "closed",
                () -> b.lanczos(List.of(f.closedBuffer), LanczosOptions.DEFAULT)));
        t.add(new Invalid("Lanczos tolerance 0", iae, "tolerance", () -> new LanczosOptions(0, 300, 0)));
        t.add(new Invalid("Lanczos tolerance NaN", iae, "tolerance", () -> new LanczosOptions(Double.NaN, 300, 0)));
        t.add(new Invalid("Lanczos maxSteps 0", iae, "maxSteps", () -> new LanczosOptions(1e-6, 0, 0)));
        t.add(new Invalid(
                "Lanczos first index -1", iae, "firstIndex", () -> LanczosOptions.DEFAULT.withFirstIndex(-1)));

        // state creation
        t.add(new Invalid("newPowerState without options", npe, "options", () -> b.newPowerState(f.ws, null)));
        t.add(new Invalid(
                "newPowerState(null list)",
                npe,
                "weights",
                () -> b.newPowerState((List<Matrices>) null, PowerOptions.DEFAULT)));
        t.add(new Invalid(
                "newPowerState(null batch)",
                npe,
                "weights",
                () -> b.newPowerState((Matrices) null, PowerOptions.DEFAULT)));
        t.add(new Invalid(
                "newPowerState(empty list)", iae, "weights", () -> b.newPowerState(List.of(), PowerOptions.DEFAULT)));
        t.add(new Invalid(
                "top-k vectors above the rank",
                iae,
                "vectors",
                () -> b.newPowerState(f.w, PowerOptions.DEFAULT.withVectors(5))));
        t.add(new Invalid("negative warm-up", iae, "warmup", () -> new PowerOptions(0, -1, 1)));
        t.add(new Invalid("zero vectors", iae, "vectors", () -> new PowerOptions(0, 0, 0)));
        t.add(new Invalid("negative first index", iae, "firstIndex", () -> new PowerOptions(0, 15, 1, -1)));
        t.add(new Invalid(
                "first index Long.MIN_VALUE",
                iae,
                "firstIndex",
                () -> PowerOptions.DEFAULT.withFirstIndex(Long.MIN_VALUE)));
        t.add(new Invalid(
                "newSripState with 2 vectors",
                iae,
                "vectors",
                () -> b.newSripState(f.ws, PowerOptions.DEFAULT.withVectors(2))));
        t.add(new Invalid("newSripState without options", npe, "options", () -> b.newSripState(f.ws, null)));
        t.add(new Invalid(
                "newSripState of a closed buffer",
                iae,
                "closed",
                () -> b.newSripState(List.of(f.closedBuffer), PowerOptions.DEFAULT)));
        t.add(new Invalid(
                "importPowerState without shapes",
                npe,
                "shapes",
                () -> b.importPowerState(null, StateLayout.Operator.MATRIX, 1, u, v)));
        t.add(new Invalid(
                "importPowerState without operator", npe, "operator", () -> b.importPowerState(shapes, null, 1, u, v)));
        t.add(new Invalid(
                "importPowerState with 0 vectors",
                iae,
                "vectors",
                () -> b.importPowerState(shapes, StateLayout.Operator.MATRIX, 0, u, v)));
        t.add(new Invalid(
                "importPowerState without u",
                npe,
                "u",
                () -> b.importPowerState(shapes, StateLayout.Operator.MATRIX, 1, null, v)));
        t.add(new Invalid(
                "importPowerState with u too short",
                iae,
                "u",
                () -> b.importPowerState(shapes, StateLayout.Operator.MATRIX, 1, Arrays.copyOf(u, u.length - 1), v)));
        t.add(new Invalid(
                "importPowerState with v too long",
                iae,
                "v",
                () -> b.importPowerState(shapes, StateLayout.Operator.MATRIX, 1, u, Arrays.copyOf(v, v.length + 1))));
        t.add(new Invalid(
                "importPowerState with a NaN in u",
                iae,
                "u[",
                () -> b.importPowerState(shapes, StateLayout.Operator.MATRIX, 1, nanAt(u, 3), v)));
        t.add(new Invalid("importVectors with an infinite v", iae, "v[", () -> f.state.importVectors(u, infAt(v, 2))));
        t.add(new Invalid(
                "importVectors with u too short", iae, "u", () -> f.state.importVectors(Arrays.copyOf(u, 3), v)));

        // power iteration
        t.add(new Invalid("powerIteration without state", npe, "state", () -> b.powerIteration(f.ws, null, 1)));
        t.add(new Invalid(
                "powerIteration(null list)",
                npe,
                "weights",
                () -> b.powerIteration((List<Matrices>) null, f.state, 1)));
        t.add(new Invalid(
                "powerIteration(null batch)", npe, "weights", () -> b.powerIteration((Matrices) null, f.state, 1)));
        t.add(new Invalid(
                "powerIteration with a closed state", iae, "state", () -> b.powerIteration(f.ws, f.closedState, 1)));
        t.add(new Invalid(
                "powerIteration with another backend's state",
                iae,
                "state",
                () -> b.powerIteration(f.ws, f.foreignState, 1)));
        t.add(new Invalid(
                "powerIteration with SRIP state", iae, "state", () -> b.powerIteration(f.ws, f.sripState, 1)));
        t.add(new Invalid(
                "powerIteration on weights of another shape",
                iae,
                "state",
                () -> b.powerIteration(List.of(f.other), f.state, 1)));
        t.add(new Invalid(
                "powerIteration on two batches with state of one",
                iae,
                "state",
                () -> b.powerIteration(List.of(f.w, f.w), f.state, 1)));
        t.add(new Invalid(
                "powerIteration with -1 iterations", iae, "iterations", () -> b.powerIteration(f.ws, f.state, -1)));
        t.add(new Invalid(
                "powerIteration of a closed buffer",
                iae,
                "closed",
                () -> b.powerIteration(List.of(f.closedBuffer), f.state, 1)));
        t.add(new Invalid("topK with -1 iterations", iae, "iterations", () -> b.topK(f.ws, f.topState, -1)));
        t.add(new Invalid("topK without state", npe, "state", () -> b.topK(f.ws, null, 1)));

        // normalization
        t.add(new Invalid("normalize without out", npe, "out", () -> b.normalize(f.ws, f.state, 1, null)));
        t.add(new Invalid("normalize(null batch out)", npe, "out", () -> b.normalize(f.w, f.state, 1, null)));
        t.add(new Invalid("normalize into an empty list", iae, "out", () -> b.normalize(f.ws, f.state, 1, List.of())));
        t.add(new Invalid(
                "normalize into another shape",
                iae,
                "out",
                () -> b.normalize(f.ws, f.state, 1, List.of(MatrixBatch.zeros(f.other.shape())))));
        t.add(new Invalid(
                "normalize into two outputs for one batch",
                iae,
                "out",
                () -> b.normalize(f.ws, f.state, 1, List.of(f.out(), f.out()))));
        t.add(new Invalid(
                "normalize into a read-only batch",
                iae,
                "out",
                () -> b.normalize(f.ws, f.state, 1, List.of(f.readOnly))));
        t.add(new Invalid("normalize into its input", iae, "out", () -> b.normalize(f.ws, f.state, 1, f.ws)));
        t.add(new Invalid(
                "normalize into a closed buffer",
                iae,
                "out",
                () -> b.normalize(f.ws, f.state, 1, List.of(f.closedBuffer))));
        t.add(new Invalid(
                "normalize with top-k state",
                iae,
                "vectors",
                () -> b.normalize(f.ws, f.topState, 1, List.of(f.out()))));
        t.add(new Invalid(
                "normalize with -1 iterations",
                iae,
                "iterations",
                () -> b.normalize(f.ws, f.state, -1, List.of(f.out()))));
        t.add(new Invalid(
                "normalize with SRIP state", iae, "state", () -> b.normalize(f.ws, f.sripState, 1, List.of(f.out()))));
        t.add(new Invalid("normalize without state", npe, "state", () -> b.normalize(f.ws, null, 1, List.of(f.out()))));
        t.add(new Invalid(
                "normalizeBackward without gradOutput",
                npe,
                "gradOutput",
                () -> b.normalizeBackward(f.ws, f.state, null, List.of(f.out()))));
        t.add(new Invalid(
                "normalizeBackward with gradOutput of another shape",
                iae,
                "gradOutput",
                () -> b.normalizeBackward(f.ws, f.state, List.of(f.other), List.of(f.out()))));
        t.add(new Invalid(
                "normalizeBackward without out",
                npe,
                "out",
                () -> b.normalizeBackward(f.ws, f.state, List.of(f.g), null)));
        t.add(new Invalid(
                "normalizeBackward into the weights",
                iae,
                "out",
                () -> b.normalizeBackward(f.ws, f.state, List.of(f.g), f.ws)));
        t.add(new Invalid(
                "normalizeBackward into gradOutput",
                iae,
                "out",
                () -> b.normalizeBackward(f.ws, f.state, List.of(f.g), List.of(f.g))));
        t.add(new Invalid(
                "normalizeBackward into a read-only batch",
                iae,
                "out",
                () -> b.normalizeBackward(f.ws, f.state, List.of(f.g), List.of(f.readOnly))));
        t.add(new Invalid(
                "normalizeBackward with a closed state",
                iae,
                "state",
                () -> b.normalizeBackward(f.ws, f.closedState, List.of(f.g), List.of(f.out()))));
        t.add(new Invalid(
                "normalizeBackward with top-k state",
                iae,
                "vectors",
                () -> b.normalizeBackward(f.ws, f.topState, List.of(f.g), List.of(f.out()))));
        t.add(new Invalid(
                "normalizeBackward(null batch gradOutput)",
                npe,
                "gradOutput",
                () -> b.normalizeBackward(f.w, f.state, null, f.out())));

        // regularizer
        t.add(new Invalid(
                "spectralRegularizer with λ = NaN",
                iae,
                "lambda",
                () -> b.spectralRegularizer(f.ws, f.state, 1, Float.NaN, null)));
        t.add(new Invalid(
                "spectralRegularizer with λ = ∞",
                iae,
                "lambda",
                () -> b.spectralRegularizer(f.ws, f.state, 1, Float.POSITIVE_INFINITY, null)));
        t.add(new Invalid(
                "spectralRegularizer with -1 iterations",
                iae,
                "iterations",
                () -> b.spectralRegularizer(f.ws, f.state, -1, 1, null)));
        t.add(new Invalid(
                "spectralRegularizer without state",
                npe,
                "state",
                () -> b.spectralRegularizer(f.ws, null, 1, 1, null)));
        t.add(new Invalid(
                "spectralRegularizer with SRIP state",
                iae,
                "state",
                () -> b.spectralRegularizer(f.ws, f.sripState, 1, 1, null)));
        t.add(new Invalid(
                "spectralRegularizer with top-k state",
                iae,
                "vectors",
                () -> b.spectralRegularizer(f.ws, f.topState, 1, 1, null)));
        t.add(new Invalid(
                "spectralRegularizer gradient of another shape",
                iae,
                "gradient",
                () -> b.spectralRegularizer(f.ws, f.state, 1, 1, List.of(MatrixBatch.zeros(f.other.shape())))));
        t.add(new Invalid(
                "spectralRegularizer gradient read-only",
                iae,
                "gradient",
                () -> b.spectralRegularizer(f.ws, f.state, 1, 1, List.of(f.readOnly))));
        t.add(new Invalid(
                "spectralRegularizer gradient into the weights",
                iae,
                "gradient",
                () -> b.spectralRegularizer(f.ws, f.state, 1, 1, f.ws)));
        t.add(new Invalid(
                "spectralRegularizer(null list)",
                npe,
                "weights",
                () -> b.spectralRegularizer(null, f.state, 1, 1, null)));

        // penalties
        t.add(new Invalid(
                "orthogonalPenalty without penalty",
                npe,
                "penalty",
                () -> b.orthogonalPenalty(f.ws, null, 1e-4f, null)));
        t.add(new Invalid(
                "orthogonalPenalty(null list)",
                npe,
                "weights",
                () -> b.orthogonalPenalty((List<Matrices>) null, Penalty.SOFT, 1e-4f, null)));
        t.add(new Invalid(
                "orthogonalPenalty(null batch)",
                npe,
                "weights",
                () -> b.orthogonalPenalty((Matrices) null, Penalty.SOFT, 1e-4f, null)));
        t.add(new Invalid(
                "orthogonalPenalty(empty list)",
                iae,
                "weights",
                () -> b.orthogonalPenalty(List.of(), Penalty.SOFT, 1e-4f, null)));
        for (Penalty p : Penalty.values()) {
            t.add(new Invalid(p + " with β = NaN", iae, "beta", () -> b.orthogonalPenalty(f.ws, p, Float.NaN, null)));
            t.add(new Invalid(
                    p + " with β = −∞",
                    iae,
                    "beta",
                    () -> b.orthogonalPenalty(f.ws, p, Float.NEGATIVE_INFINITY, null)));
            t.add(new Invalid(
                    p + " gradient of another shape",
                    iae,
                    "gradient",
                    () -> b.orthogonalPenalty(f.ws, p, 1e-4f, List.of(MatrixBatch.zeros(f.other.shape())))));
            t.add(new Invalid(
                    p + " gradient read-only",
                    iae,
                    "gradient",
                    () -> b.orthogonalPenalty(f.ws, p, 1e-4f, List.of(f.readOnly))));
            t.add(new Invalid(
                    p + " gradient into the weights",
                    iae,
                    "gradient",
                    () -> b.orthogonalPenalty(f.ws, p, 1e-4f, f.ws)));
            t.add(new Invalid(
                    p + " of a closed buffer",
                    iae,
                    "closed",
                    () -> b.orthogonalPenalty(List.of(f.closedBuffer), p, 1e-4f, null)));
        }
        t.add(new Invalid(
                "orthogonalPenalty(batch) gradient into the weights",
                iae,
                "gradient",
                () -> b.orthogonalPenalty(f.w, Penalty.SOFT, 1e-4f, f.w)));
        t.add(new Invalid(
                "srip with power-iteration state", iae, "state", () -> b.srip(f.ws, f.state, 1, 1e-4f, null)));
        t.add(new Invalid("srip without state", npe, "state", () -> b.srip(f.ws, null, 1, 1e-4f, null)));
        t.add(new Invalid("srip with a closed state", iae, "state", () -> b.srip(f.ws, f.closedState, 1, 1e-4f, null)));
        t.add(new Invalid(
                "srip with -1 iterations", iae, "iterations", () -> b.srip(f.ws, f.sripState, -1, 1e-4f, null)));
        t.add(new Invalid("srip with β = NaN", iae, "beta", () -> b.srip(f.ws, f.sripState, 1, Float.NaN, null)));
        t.add(new Invalid(
                "srip gradient of another shape",
                iae,
                "gradient",
                () -> b.srip(f.ws, f.sripState, 1, 1e-4f, List.of(MatrixBatch.zeros(f.other.shape())))));
        t.add(new Invalid(
                "srip gradient into the weights", iae, "gradient", () -> b.srip(f.ws, f.sripState, 1, 1e-4f, f.ws)));
        t.add(new Invalid(
                "srip on weights of another shape",
                iae,
                "state",
                () -> b.srip(List.of(f.other), f.sripState, 1, 1e-4f, null)));
        return t;
    }

    private static float[] nanAt(float[] x, int i) {
        float[] y = x.clone();
        y[i] = Float.NaN;
        return y;
    }

    private static float[] infAt(float[] x, int i) {
        float[] y = x.clone();
        y[i] = Float.POSITIVE_INFINITY;
        return y;
    }
}
