package dev.specnorm.api;

import dev.specnorm.api.spi.BackendEngine;
import dev.specnorm.api.spi.GramPenalty;
import java.util.List;
import java.util.Objects;

/**
 * The operations of specnorm on one backend: exact SVD and spectral norm, Lanczos, power iteration with
 * persistent state, spectral normalization forward and backward, the spectral-norm regularizer, and the
 * orthogonality penalties, each over a batch or over a list of batches of different shapes (all layers of
 * a network) in one call. Formulas, layout and tolerances: SPEC.md.
 *
 * <p>Obtain one with {@link Backends#open(String)}. Every argument is validated before any work is done;
 * invalid ones give {@link IllegalArgumentException} naming the argument. A NaN or infinity never becomes
 * a result silently ({@link NonFiniteValueException}). Inputs are never modified; outputs are written
 * only to the arguments named {@code out} or {@code gradient}, and their contents are unspecified after a
 * failure. Results are indexed by matrix: entry k belongs to the k-th matrix of the flattened list.
 *
 * <p>Thread safety: a backend serves concurrent callers. {@link PowerState}s and {@link BatchBuffer}s
 * belong to one caller at a time.
 */
public final class SpectralBackend implements AutoCloseable {

    private final BackendEngine engine;

    private SpectralBackend(BackendEngine engine) {
        this.engine = engine;
    }

    /** A backend over {@code engine} (what {@link Backends#open} returns for a provider's engine). */
    public static SpectralBackend forEngine(BackendEngine engine) {
        return new SpectralBackend(Objects.requireNonNull(engine, "engine"));
    }

    /** The backend's name: {@code cpu}, {@code cuda}. */
    public String name() {
        return engine.name();
    }

    /** What the backend runs on. */
    public String description() {
        return engine.description();
    }

    // ---------------------------------------------------------------- buffers

    /** A new zero-filled buffer owned by this backend. */
    public BatchBuffer allocate(BatchShape shape) {
        return engine.allocate(Objects.requireNonNull(shape, "shape"));
    }

    /** A new buffer owned by this backend holding a copy of {@code host}. */
    public BatchBuffer upload(MatrixBatch host) {
        Objects.requireNonNull(host, "host");
        BatchBuffer buffer = engine.allocate(host.shape());
        buffer.copyFrom(host);
        return buffer;
    }

    /**
     * Wraps memory the caller already has on the device, without copying: {@code address} is a raw device
     * pointer to B·m·n float32 in the layout of {@link BatchShape}, {@code stream} a CUDA stream handle
     * (0: the default stream) on which work on this buffer is issued. Closing the buffer does not free
     * the memory.
     *
     * @throws IllegalArgumentException      if address is 0
     * @throws UnsupportedOperationException if this backend has no device memory (the CPU backend)
     */
    public BatchBuffer wrapDevice(long address, BatchShape shape, long stream) {
        Objects.requireNonNull(shape, "shape");
        if (address == 0) {
            throw new IllegalArgumentException("address must not be the null pointer");
        }
        return engine.wrapDevice(address, shape, stream);
    }

    // ---------------------------------------------------------------- exact

    /** Exact singular values (descending) of every matrix, with thin U and Vᵀ when {@code vectors}. */
    public List<SingularDecomposition> svd(List<? extends Matrices> weights, boolean vectors) {
        return engine.svd(operands("weights", weights), vectors);
    }

    /** Exact singular values (descending) of every matrix of {@code weights}: one array per matrix. */
    public float[][] singularValues(Matrices weights) {
        List<SingularDecomposition> svd = svd(List.of(nonNull("weights", weights)), false);
        float[][] out = new float[svd.size()][];
        for (int k = 0; k < out.length; k++) {
            out[k] = svd.get(k).values();
        }
        return out;
    }

    /** Exact singular values (descending) of one m×n row-major matrix. */
    public float[] singularValues(float[] matrix, int rows, int cols) {
        return singularValues(MatrixBatch.of(matrix, rows, cols))[0];
    }

    /** Exact σ₁ = ‖W‖₂ of every matrix. */
    public float[] spectralNorm(List<? extends Matrices> weights) {
        return engine.spectralNorm(operands("weights", weights));
    }

    /** Exact σ₁ of every matrix of one batch. */
    public float[] spectralNorm(Matrices weights) {
        return spectralNorm(List.of(nonNull("weights", weights)));
    }

    /** Exact σ₁ of one m×n row-major matrix. */
    public float spectralNorm(float[] matrix, int rows, int cols) {
        return spectralNorm(MatrixBatch.of(matrix, rows, cols))[0];
    }

    /** σ₁ of every matrix by Lanczos bidiagonalization, to {@code options.tolerance()}. */
    public List<LanczosEstimate> lanczos(List<? extends Matrices> weights, LanczosOptions options) {
        Objects.requireNonNull(options, "options");
        return engine.lanczos(operands("weights", weights), options);
    }

    /** σ₁ of every matrix of one batch by Lanczos, with {@link LanczosOptions#DEFAULT}. */
    public List<LanczosEstimate> lanczos(Matrices weights) {
        return lanczos(List.of(nonNull("weights", weights)), LanczosOptions.DEFAULT);
    }

    // ---------------------------------------------------------------- power iteration

    /**
     * New power-iteration state for {@code weights}: u of matrix k from {@link SeededGaussian#ofMatrix}
     * (seed, firstIndex, k), normalized; v ← normalize(Wᵀu); then {@code options.warmup()} iterations. With
     * {@code options.vectors()} = k &gt; 1 it tracks the top k singular triplets by deflation.
     */
    public PowerState newPowerState(List<? extends Matrices> weights, PowerOptions options) {
        return startState(
                operands("weights", weights), StateLayout.Operator.MATRIX, Objects.requireNonNull(options, "options"));
    }

    /** New power-iteration state for one batch. */
    public PowerState newPowerState(Matrices weights, PowerOptions options) {
        return newPowerState(List.of(nonNull("weights", weights)), options);
    }

    /**
     * New SRIP state on G = (smaller Gram of W) − I, seeded as {@link #newPowerState} is; u, v ∈ Rʳ,
     * r = min(m, n).
     *
     * @throws IllegalArgumentException if options.vectors() is not 1
     */
    public PowerState newSripState(List<? extends Matrices> weights, PowerOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.vectors() != 1) {
            throw new IllegalArgumentException(
                    "SRIP state tracks one vector pair, options.vectors() = " + options.vectors());
        }
        return startState(operands("weights", weights), StateLayout.Operator.GRAM, options);
    }

    /**
     * State restored from exported arrays (a checkpoint), for weights of {@code shapes}.
     *
     * @param vectors vectors per matrix (1, or k for top-k)
     * @param u       as {@link PowerState#exportU()} gave it
     * @param v       as {@link PowerState#exportV()} gave it
     */
    public PowerState importPowerState(
            List<BatchShape> shapes, StateLayout.Operator operator, int vectors, float[] u, float[] v) {
        StateLayout layout = StateLayout.of(shapes, operator, vectors);
        requireLength("u", u, layout.uSize());
        requireLength("v", v, layout.vSize());
        PowerState state = engine.createState(layout, new float[layout.uSize()], new float[layout.vSize()]);
        try {
            state.importVectors(u, v);
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
        return state;
    }

    /**
     * Runs {@code iterations} power iterations (v ← normalize(Wᵀu), u ← normalize(Wv)) on every matrix and
     * returns σ̂ = uᵀWv; {@code iterations} = 0 evaluates σ̂ with the stored vectors. With k-vector state
     * the result holds k values per matrix (deflation, SPEC.md "Top-k").
     *
     * @throws StaleStateException     if iterations = 0 and some σ̂ &lt; 0 (state no longer matches W)
     * @throws NonFiniteValueException if some matrix holds NaN or infinite entries; state is unchanged
     */
    public float[] powerIteration(List<? extends Matrices> weights, PowerState state, int iterations) {
        List<? extends Matrices> w = operands("weights", weights);
        requireState(state, w, StateLayout.Operator.MATRIX);
        requireIterations(iterations);
        return engine.powerIteration(w, state, iterations);
    }

    /** Power iteration on one batch. */
    public float[] powerIteration(Matrices weights, PowerState state, int iterations) {
        return powerIteration(List.of(nonNull("weights", weights)), state, iterations);
    }

    /**
     * Top-k singular values by deflated power iteration: one row of k values per matrix, for state made
     * with {@code vectors} = k. Only the first is guaranteed ≤ σ₁.
     */
    public float[][] topK(List<? extends Matrices> weights, PowerState state, int iterations) {
        float[] flat = powerIteration(weights, state, iterations);
        int k = state.layout().vectors();
        float[][] out = new float[flat.length / k][k];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * k, out[i], 0, k);
        }
        return out;
    }

    // ---------------------------------------------------------------- spectral normalization

    /**
     * Spectral normalization forward (Miyato et al. 2018): {@code iterations} power iterations, then
     * Ŵ = W / max(σ̂, eps) written to {@code out}. Returns σ̂.
     */
    public float[] normalize(
            List<? extends Matrices> weights, PowerState state, int iterations, List<? extends Matrices> out) {
        List<? extends Matrices> w = operands("weights", weights);
        requireState(state, w, StateLayout.Operator.MATRIX);
        requireSingleVector(state);
        requireIterations(iterations);
        return engine.normalize(w, state, iterations, outputs("out", out, w));
    }

    /** Spectral normalization of one batch into {@code out}. */
    public float[] normalize(Matrices weights, PowerState state, int iterations, Matrices out) {
        return normalize(List.of(nonNull("weights", weights)), state, iterations, List.of(nonNull("out", out)));
    }

    /**
     * Spectral normalization backward with u, v constant: with G = ∂L/∂Ŵ and σ̂ = uᵀWv from the stored
     * state, ∂L/∂W = (G − ⟨G, Ŵ⟩ u vᵀ)/σ̂ when σ̂ &gt; eps, else G/eps. Call it with the state as the forward
     * call left it.
     */
    public void normalizeBackward(
            List<? extends Matrices> weights,
            PowerState state,
            List<? extends Matrices> gradOutput,
            List<? extends Matrices> out) {
        List<? extends Matrices> w = operands("weights", weights);
        requireState(state, w, StateLayout.Operator.MATRIX);
        requireSingleVector(state);
        List<? extends Matrices> g = operands("gradOutput", gradOutput);
        requireSameShapes("gradOutput", g, w);
        List<? extends Matrices> o = outputs("out", out, w);
        requireSeparate("out", o, g);
        engine.normalizeBackward(w, state, g, o);
    }

    /** Spectral normalization backward for one batch. */
    public void normalizeBackward(Matrices weights, PowerState state, Matrices gradOutput, Matrices out) {
        normalizeBackward(
                List.of(nonNull("weights", weights)),
                state,
                List.of(nonNull("gradOutput", gradOutput)),
                List.of(nonNull("out", out)));
    }

    // ---------------------------------------------------------------- penalties

    /**
     * The spectral-norm regularizer: R = λσ̂² after {@code iterations}, ∂R/∂W = 2λσ̂ u vᵀ
     * (u, v constant) written to {@code gradient} unless it is null. Yoshida &amp; Miyato (2017) write
     * (λ/2)σ²: pass λ/2 for theirs.
     */
    public PenaltyResult spectralRegularizer(
            List<? extends Matrices> weights,
            PowerState state,
            int iterations,
            float lambda,
            List<? extends Matrices> gradient) {
        List<? extends Matrices> w = operands("weights", weights);
        requireState(state, w, StateLayout.Operator.MATRIX);
        requireSingleVector(state);
        requireIterations(iterations);
        requireFinite("lambda", lambda);
        return engine.spectralRegularizer(
                w, state, iterations, lambda, gradient == null ? null : outputs("gradient", gradient, w));
    }

    /**
     * An orthogonality penalty summed over every matrix, its gradient written to {@code gradient} unless it
     * is null. {@link Penalty#SLICES} is {@link Penalty#BIGGAN} on batches already in the
     * {@link ConvolutionReshape#SLICES} reshape. {@link Penalty#SRIP} runs from fresh state (seed 0, no
     * warm-up, {@link Conventions#SRIP_ITERATIONS} iterations) as Bansal et al. do; use
     * {@link #srip} to keep state across calls.
     */
    public PenaltyResult orthogonalPenalty(
            List<? extends Matrices> weights, Penalty penalty, float beta, List<? extends Matrices> gradient) {
        List<? extends Matrices> w = operands("weights", weights);
        Objects.requireNonNull(penalty, "penalty");
        requireFinite("beta", beta);
        List<? extends Matrices> g = gradient == null ? null : outputs("gradient", gradient, w);
        if (penalty == Penalty.SRIP) {
            try (PowerState state = startState(w, StateLayout.Operator.GRAM, new PowerOptions(0, 0, 1))) {
                return engine.srip(w, state, Conventions.SRIP_ITERATIONS, beta, g);
            }
        }
        return engine.orthogonalPenalty(
                w, penalty == Penalty.SLICES ? GramPenalty.BIGGAN : GramPenalty.of(penalty), beta, g);
    }

    /** An orthogonality penalty of one batch. */
    public PenaltyResult orthogonalPenalty(Matrices weights, Penalty penalty, float beta, Matrices gradient) {
        return orthogonalPenalty(
                List.of(nonNull("weights", weights)), penalty, beta, gradient == null ? null : List.of(gradient));
    }

    /**
     * SRIP with persistent state from {@link #newSripState}: {@code iterations} power iterations on G, then
     * R = β uᵀGv and ∂R/∂W (SPEC.md) written to {@code gradient} unless it is null.
     */
    public PenaltyResult srip(
            List<? extends Matrices> weights,
            PowerState state,
            int iterations,
            float beta,
            List<? extends Matrices> gradient) {
        List<? extends Matrices> w = operands("weights", weights);
        requireState(state, w, StateLayout.Operator.GRAM);
        requireIterations(iterations);
        requireFinite("beta", beta);
        return engine.srip(w, state, iterations, beta, gradient == null ? null : outputs("gradient", gradient, w));
    }

    /** Releases the backend's resources. */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "SpectralBackend[" + engine.name() + ": " + engine.description() + "]";
    }

    // ---------------------------------------------------------------- validation

    private PowerState startState(List<? extends Matrices> w, StateLayout.Operator operator, PowerOptions options) {
        StateLayout layout = StateLayout.forWeights(w, operator, options.vectors());
        float[] u = new float[layout.uSize()];
        float[] v = new float[layout.vSize()];
        for (int k = 0; k < layout.matrices(); k++) {
            SeededGaussian stream = SeededGaussian.ofMatrix(options.seed(), options.firstIndex(), k);
            fillUnitRows(stream, u, layout.uOffset(k), options.vectors(), layout.uLength(k));
            fillUnitRows(stream, v, layout.vOffset(k), options.vectors(), layout.vLength(k));
        }
        PowerState state = engine.createState(layout, u, v);
        try {
            engine.initialize(w, state, options.warmup());
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
        return state;
    }

    private static void fillUnitRows(SeededGaussian stream, float[] x, int offset, int rows, int length) {
        for (int r = 0; r < rows; r++) {
            int at = offset + r * length;
            double[] row = new double[length];
            double sum = 0;
            for (int i = 0; i < length; i++) {
                row[i] = stream.nextGaussian();
                sum += row[i] * row[i];
            }
            double scale = 1 / Math.sqrt(sum);
            for (int i = 0; i < length; i++) {
                x[at + i] = (float) (row[i] * scale);
            }
        }
    }

    private List<? extends Matrices> operands(String name, List<? extends Matrices> list) {
        Objects.requireNonNull(list, name);
        if (list.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        long matrices = 0;
        for (int l = 0; l < list.size(); l++) {
            Matrices m = list.get(l);
            if (m == null) {
                throw new NullPointerException(label(name, list, l));
            }
            requireUsable(name, list, l);
            matrices += m.shape().batch();
        }
        if (matrices > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " holds " + matrices + " matrices, more than an int index");
        }
        return List.copyOf(list);
    }

    private List<? extends Matrices> outputs(String name, List<? extends Matrices> out, List<? extends Matrices> w) {
        List<? extends Matrices> o = operands(name, out);
        requireSameShapes(name, o, w);
        for (int l = 0; l < o.size(); l++) {
            if (o.get(l) instanceof MatrixBatch b && !b.isWritable()) {
                throw new IllegalArgumentException(label(name, o, l) + " is read-only");
            }
        }
        requireSeparate(name, o, w);
        return o;
    }

    private static void requireSeparate(String name, List<? extends Matrices> out, List<? extends Matrices> inputs) {
        for (int l = 0; l < out.size(); l++) {
            // by index: a for-each iterator here is not always scalar-replaced, garbage on every call
            for (int i = 0; i < inputs.size(); i++) {
                if (out.get(l) == inputs.get(i)) {
                    throw new IllegalArgumentException(
                            label(name, out, l) + " is also an input: outputs must be separate memory");
                }
            }
        }
    }

    /** How messages name operand l of {@code list}: {@code name} for a one-element list, else name[l]. */
    private static String label(String name, List<?> list, int l) {
        return list.size() == 1 ? name : name + "[" + l + "]";
    }

    private void requireUsable(String name, List<? extends Matrices> list, int l) {
        if (list.get(l) instanceof BatchBuffer buffer) {
            if (!buffer.backendName().equals(engine.name())) {
                throw new IllegalArgumentException(label(name, list, l) + " is a buffer of backend "
                        + buffer.backendName() + ", not of " + engine.name() + ": copy it through the host first");
            }
            if (buffer.isClosed()) {
                throw new IllegalArgumentException(label(name, list, l) + " is a closed buffer");
            }
        }
    }

    private static void requireSameShapes(String name, List<? extends Matrices> a, List<? extends Matrices> w) {
        if (a.size() != w.size()) {
            throw new IllegalArgumentException(name + " has " + a.size() + " batch(es), weights has " + w.size());
        }
        for (int l = 0; l < a.size(); l++) {
            if (!a.get(l).shape().equals(w.get(l).shape())) {
                throw new IllegalArgumentException(label(name, a, l) + " has shape "
                        + a.get(l).shape() + ", weights" + (a.size() == 1 ? "" : "[" + l + "]") + " has "
                        + w.get(l).shape());
            }
        }
    }

    private void requireState(PowerState state, List<? extends Matrices> w, StateLayout.Operator operator) {
        Objects.requireNonNull(state, "state");
        if (!state.backendName().equals(engine.name())) {
            throw new IllegalArgumentException("state belongs to backend " + state.backendName() + ", not "
                    + engine.name() + ": export and import it");
        }
        if (state.isClosed()) {
            throw new IllegalArgumentException("state is closed");
        }
        if (state.layout().operator() != operator) {
            throw new IllegalArgumentException("state tracks " + state.layout().operator() + ", this operation needs "
                    + operator + (operator == StateLayout.Operator.GRAM ? " (newSripState)" : " (newPowerState)"));
        }
        state.layout().requireMatches(w);
    }

    private static void requireSingleVector(PowerState state) {
        if (state.layout().vectors() != 1) {
            throw new IllegalArgumentException("state tracks " + state.layout().vectors()
                    + " vectors per matrix; this operation uses one (PowerOptions.vectors = 1)");
        }
    }

    private static void requireIterations(int iterations) {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be at least 0, got " + iterations);
        }
    }

    private static void requireFinite(String name, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }

    private static void requireLength(String name, float[] x, int length) {
        Objects.requireNonNull(x, name);
        if (x.length != length) {
            throw new IllegalArgumentException(
                    name + " holds " + x.length + " floats, the state layout needs " + length);
        }
    }

    private static <T> T nonNull(String name, T value) {
        return Objects.requireNonNull(value, name);
    }
}
