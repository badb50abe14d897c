package dev.specnorm.cli.checkpoint;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.examples.conv.CircularConvolutionSpectrum;
import dev.specnorm.examples.conv.Convolution2d;
import dev.specnorm.examples.conv.OperatorPowerIteration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Inspects a checkpoint ({@link CheckpointReport}): every floating-point tensor of rank ≥ 2 that the options
 * select becomes its matrix view; the views are grouped by matrix shape into batches and sent to the backend
 * as one list call per computation (σ₁ by the method asked for; σ̂ after K power steps), so a file of many
 * layers costs a few calls, not one per layer. A rank-r tensor (d0, d1, …) is viewed as one d0 × d1·…
 * matrix, except that a 4-D weight follows the reshape asked for. The convolution operator norms of 4-D
 * weights are computed in float64 by specnorm-examples' Sedghi and operator-power-iteration code.
 */
public final class CheckpointInspector {

    /**
     * Operator power iteration on a convolution: tolerance on the relative change, and its cap: as many
     * steps as {@value #CONV_WORK} multiply-adds allow (a step is a float64 convolution and its transpose on
     * the n×n input, 2·out·in·kh·kw·n² multiply-adds), within [{@value #CONV_MIN_ITERATIONS},
     * {@value #CONV_MAX_ITERATIONS}]. The estimate is a lower bound either way.
     */
    public static final double CONV_TOLERANCE = 1e-6;

    public static final double CONV_WORK = 4e9;
    public static final int CONV_MIN_ITERATIONS = 50;
    public static final int CONV_MAX_ITERATIONS = 1000;

    /** Layers larger than this many elements get no full spectrum (an SVD of each would dominate). */
    static final long MAX_SPECTRUM_ELEMENTS = 4_000_000;

    private final SpectralBackend backend;
    private final InspectOptions options;
    private final InspectProgress progress;

    /** @param progress where progress goes ({@link InspectProgress#NONE} for nowhere) */
    public CheckpointInspector(SpectralBackend backend, InspectOptions options, InspectProgress progress) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** A selected tensor, its matrix view and where its matrices go in its shape group. */
    private record Layer(TensorEntry tensor, BatchShape view, int groupIndex, int firstMatrix) {}

    /** The layers of one matrix shape, stacked into one batch. */
    private static final class Group {
        final int rows;
        final int cols;
        final List<Layer> layers = new ArrayList<>();
        int matrices;
        float[] data;

        Group(int rows, int cols) {
            this.rows = rows;
            this.cols = cols;
        }
    }

    /** The layers of a file that {@link #inspect} takes, grouped by matrix shape, and the tensors it skips. */
    private record Selection(List<Layer> layers, List<Group> groups, int lowRank, int notSelected) {}

    /**
     * Inspects {@code file}.
     *
     * @throws CheckpointFormatException if it is malformed, or a selected tensor of rank ≥ 2 is not of a
     *                                   floating-point type or holds a non-finite value
     */
    public CheckpointReport inspect(Path file) throws IOException {
        try (TensorSource source = Checkpoints.open(file, options.void2IsBfloat16())) {
            Selection selection = select(source, file, options);
            List<Layer> layers = selection.layers();
            List<Group> groupList = selection.groups();
            int convLayers =
                    (int) layers.stream().filter(l -> l.tensor().rank() == 4).count();
            progress.start(file.getFileName().toString(), layers.size() + 2 + convLayers);
            Map<Layer, Double> frobenius = new LinkedHashMap<>();
            for (Group g : groupList) {
                g.data = new float[g.matrices * g.rows * g.cols];
                for (Layer l : g.layers) {
                    progress.step("reading " + l.tensor().name());
                    float[] values = matrixData(l.tensor());
                    frobenius.put(l, frobenius(values));
                    System.arraycopy(values, 0, g.data, l.firstMatrix() * g.rows * g.cols, values.length);
                }
            }
            List<MatrixBatch> batches = new ArrayList<>();
            for (Group g : groupList) {
                batches.add(MatrixBatch.of(g.data, g.matrices, g.rows, g.cols));
            }
            progress.step("sigma_1 (" + options.method() + ") of " + layers.size() + " layers in " + batches.size()
                    + " batches");
            Sigmas sigmas = sigmas(batches, 0);
            progress.step("convolution operator norms");
            int[] groupStart = groupStarts(groupList);
            List<LayerReport> reports = new ArrayList<>();
            for (Layer l : layers) {
                reports.add(report(
                        l.tensor(), l.view(), groupStart[l.groupIndex()] + l.firstMatrix(), sigmas, frobenius.get(l)));
            }
            Map<String, float[]> spectra = new LinkedHashMap<>();
            for (Layer l : spectrumLayers(layers, options)) {
                spectra.put(l.tensor().name(), spectrum(l.tensor()));
            }
            progress.finish();
            return new CheckpointReport(
                    file,
                    source.format(),
                    backend.name(),
                    options,
                    source.tensors().size(),
                    reports,
                    selection.lowRank(),
                    selection.notSelected(),
                    spectra);
        }
    }

    /**
     * What {@link #inspect} would compute for the checkpoint open in {@code source}, from its header alone: the
     * layers it takes, where each one's matrices stand in the flattened list of its batches (their seeded start
     * vectors' index) and which of them get a full spectrum. Each layer can then be inspected on its own by
     * {@link #inspectLayer}, with the same result as in {@link #inspect}.
     *
     * @param file    the file {@code source} reads, for messages
     * @param options what is inspected
     * @throws CheckpointFormatException when {@link #inspect} would refuse the file before reading a tensor
     */
    public static CheckpointPlan plan(TensorSource source, Path file, InspectOptions options)
            throws CheckpointFormatException {
        Selection selection = select(source, file, options);
        int[] groupStart = groupStarts(selection.groups());
        List<Layer> spectrum = spectrumLayers(selection.layers(), options);
        List<CheckpointPlan.Layer> planned = new ArrayList<>();
        for (Layer l : selection.layers()) {
            planned.add(new CheckpointPlan.Layer(
                    l.tensor().name(), groupStart[l.groupIndex()] + l.firstMatrix(), spectrum.indexOf(l)));
        }
        return new CheckpointPlan(
                source.format(), source.tensors().size(), planned, selection.lowRank(), selection.notSelected());
    }

    /**
     * Inspects one planned layer of the checkpoint open in {@code source}: its {@link LayerReport} equals the one
     * {@link #inspect} makes, bit for bit, because its matrices keep their index in the flattened list (the
     * power-iteration and Lanczos options' first index is the layer's, so they start from the same seeded
     * vectors) and every value of a matrix depends only on that matrix and its index. Its spectrum comes too
     * when planned.
     *
     * @throws CheckpointFormatException if the tensor is not in the file, or its data are not finite
     */
    public InspectedLayer inspectLayer(TensorSource source, Path file, CheckpointPlan.Layer layer) throws IOException {
        TensorEntry tensor = source.tensors().stream()
                .filter(t -> t.name().equals(layer.name()))
                .findFirst()
                .orElseThrow(
                        () -> new CheckpointFormatException(file.toString(), "has no tensor '" + layer.name() + "'"));
        BatchShape view = view(tensor, options);
        float[] values = matrixData(tensor);
        MatrixBatch own = MatrixBatch.of(values, view.batch(), view.rows(), view.cols());
        LayerReport report = report(tensor, view, 0, sigmas(List.of(own), layer.firstMatrix()), frobenius(values));
        return new InspectedLayer(report, layer.spectrumRank() < 0 ? null : spectrum(tensor));
    }

    /** The selected tensors, their views and shape groups, as {@link #inspect} batches them. */
    private static Selection select(TensorSource source, Path file, InspectOptions options)
            throws CheckpointFormatException {
        int lowRank = 0;
        int notSelected = 0;
        Map<Long, Group> groups = new LinkedHashMap<>();
        List<Layer> layers = new ArrayList<>();
        List<Group> groupList = new ArrayList<>();
        for (TensorEntry t : source.tensors()) {
            if (t.rank() < 2) {
                lowRank++;
                continue;
            }
            if (!options.selects(t.name())) {
                notSelected++;
                continue;
            }
            if (!t.dtype().isReadable()) {
                throw new CheckpointFormatException(
                        file.toString(),
                        "tensor '" + t.name() + "' " + t.shapeText()
                                + " has dtype " + t.dtype().typeName()
                                + "; specnorm inspects float64, float32, float16 "
                                + "and bfloat16 weights (select others away with --layers)");
            }
            if (t.elementCount() == 0) {
                throw new CheckpointFormatException(
                        file.toString(), "tensor '" + t.name() + "' " + t.shapeText() + " is empty");
            }
            BatchShape view = view(t, options);
            Group g = groups.computeIfAbsent(((long) view.rows() << 32) | view.cols(), k -> {
                Group created = new Group(view.rows(), view.cols());
                groupList.add(created);
                return created;
            });
            Layer layer = new Layer(t, view, groupList.indexOf(g), g.matrices);
            g.layers.add(layer);
            g.matrices = Math.addExact(g.matrices, view.batch());
            layers.add(layer);
        }
        for (Group g : groupList) {
            if ((long) g.matrices * g.rows * g.cols > TensorEntry.MAX_ELEMENTS) {
                throw new CheckpointFormatException(
                        file.toString(),
                        "the layers of shape " + g.rows + " x " + g.cols
                                + " hold more elements together than one batch can");
            }
        }
        return new Selection(layers, groupList, lowRank, notSelected);
    }

    /** Where each group's matrices start in the flattened list of batches. */
    private static int[] groupStarts(List<Group> groupList) {
        int[] groupStart = new int[groupList.size()];
        for (int k = 1; k < groupStart.length; k++) {
            groupStart[k] = groupStart[k - 1] + groupList.get(k - 1).matrices;
        }
        return groupStart;
    }

    /** σ₁ by the method asked for, its Lanczos bound (or null), and σ̂ after K power steps, per matrix. */
    @SuppressWarnings("ArrayRecordComponent") // a private carrier of per-matrix results, never compared or hashed
    private record Sigmas(float[] sigma, double[] bounds, float[] power) {}

    /** The {@link Sigmas} of {@code batches}, whose first matrix has flattened index {@code firstIndex}. */
    private Sigmas sigmas(List<MatrixBatch> batches, int firstIndex) {
        float[] power = batches.isEmpty() ? new float[0] : powerSigmas(batches, firstIndex);
        float[] sigma;
        double[] bounds = null;
        switch (batches.isEmpty() ? InspectOptions.Method.POWER : options.method()) {
            case EXACT -> sigma = backend.spectralNorm(batches);
            case LANCZOS -> {
                List<LanczosEstimate> estimates = backend.lanczos(
                        batches, LanczosOptions.DEFAULT.withSeed(options.seed()).withFirstIndex(firstIndex));
                sigma = new float[estimates.size()];
                bounds = new double[estimates.size()];
                for (int k = 0; k < sigma.length; k++) {
                    sigma[k] = estimates.get(k).sigma();
                    bounds[k] = estimates.get(k).residualBound();
                }
            }
            default -> sigma = power;
        }
        return new Sigmas(sigma, bounds, power);
    }

    /** The report of a layer whose matrices are {@code first}, … of the flattened list {@code s} covers. */
    private LayerReport report(TensorEntry tensor, BatchShape view, int first, Sigmas s, double frobenius)
            throws IOException {
        int best = first;
        for (int m = first; m < first + view.batch(); m++) {
            if (s.sigma()[m] > s.sigma()[best]) {
                best = m;
            }
        }
        double sigma = s.sigma()[best];
        double p = s.power()[best];
        double bound = s.bounds() == null ? Double.NaN : s.bounds()[best];
        double error = options.method() == InspectOptions.Method.POWER
                ? Double.NaN
                : sigma > 0 ? Math.abs(p - sigma) / sigma : Double.NaN;
        double operator = Double.NaN;
        double circular = Double.NaN;
        boolean converged = false;
        int[] shape = tensor.shape();
        if (shape.length == 4) {
            progress.step("convolution norms of " + tensor.name());
            if (shape[2] <= options.inputSize() && shape[3] <= options.inputSize()) {
                float[] w = tensor.toFloat32();
                OperatorPowerIteration.Result r = OperatorPowerIteration.run(
                        Convolution2d.of(
                                w,
                                shape[0],
                                shape[1],
                                shape[2],
                                shape[3],
                                1,
                                shape[2] / 2,
                                options.inputSize(),
                                options.inputSize()),
                        options.seed(),
                        CONV_TOLERANCE,
                        convIterationCap(shape, options.inputSize()));
                operator = r.sigma();
                converged = r.converged();
                double[] wd = new double[w.length];
                for (int k = 0; k < w.length; k++) {
                    wd[k] = w[k];
                }
                circular = CircularConvolutionSpectrum.norm(
                        wd, shape[0], shape[1], shape[2], shape[3], options.inputSize());
            }
        }
        return new LayerReport(
                tensor.name(),
                shape,
                tensor.dtype(),
                view.batch(),
                view.rows(),
                view.cols(),
                sigma,
                bound,
                p,
                error,
                frobenius,
                operator,
                converged,
                circular);
    }

    private static double frobenius(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    /** The operator power iteration's cap for a weight of {@code shape} on an n×n input. */
    static int convIterationCap(int[] shape, int n) {
        double perStep = 2.0 * shape[0] * shape[1] * shape[2] * shape[3] * n * n;
        return (int) Math.max(CONV_MIN_ITERATIONS, Math.min(CONV_MAX_ITERATIONS, CONV_WORK / perStep));
    }

    /** σ̂ = uᵀWv after K power steps from seeded vectors (no warm-up), per matrix. */
    private float[] powerSigmas(List<MatrixBatch> batches, int firstIndex) {
        PowerOptions start = new PowerOptions(options.seed(), 0, 1, firstIndex);
        try (PowerState state = backend.newPowerState(batches, start)) {
            return backend.powerIteration(batches, state, options.iterations());
        }
    }

    /** The largest {@code options.spectra()} layers small enough for a full spectrum, largest first. */
    private static List<Layer> spectrumLayers(List<Layer> layers, InspectOptions options) {
        List<Layer> largest = new ArrayList<>(layers);
        largest.removeIf(l -> l.tensor().elementCount() > MAX_SPECTRUM_ELEMENTS);
        largest.sort(
                Comparator.comparingLong((Layer l) -> l.tensor().elementCount()).reversed());
        return List.copyOf(largest.subList(0, Math.min(options.spectra(), largest.size())));
    }

    /** Every singular value of the tensor as one d0 × d1·… matrix, descending. */
    private float[] spectrum(TensorEntry tensor) throws IOException {
        int rows = tensor.shape()[0];
        int cols = (int) (tensor.elementCount() / rows);
        return backend.singularValues(tensor.toFloat32(), rows, cols);
    }

    /** The matrices a tensor is viewed as. */
    private static BatchShape view(TensorEntry t, InspectOptions options) throws CheckpointFormatException {
        int[] s = t.shape();
        if (s.length == 4) {
            try {
                return options.reshape().shape(s[0], s[1], s[2], s[3]);
            } catch (IllegalArgumentException e) {
                throw new CheckpointFormatException("tensor '" + t.name() + "'", e.getMessage());
            }
        }
        return BatchShape.matrix(s[0], (int) (t.elementCount() / s[0]));
    }

    /** The tensor's matrices, C order, in the layout of its view. */
    private float[] matrixData(TensorEntry tensor) throws IOException {
        float[] values = tensor.toFloat32();
        int[] s = tensor.shape();
        if (s.length != 4) {
            return values;
        }
        return options.reshape().toBatch(values, s[0], s[1], s[2], s[3]).toArray();
    }
}
