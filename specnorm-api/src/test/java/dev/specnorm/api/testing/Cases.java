package dev.specnorm.api.testing;

import dev.specnorm.api.MatrixBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The named inputs the contract suite runs every operation on: tall, wide, square, one-row, one-column,
 * a batch holding a zero matrix, and a list of layers of different shapes; plus the extra shapes of the
 * exact SVD (rank-deficient, zero, repeated σ₁, wide spread of σ) and the inputs of {@code l1} (kept away
 * from its kinks).
 */
public final class Cases {

    private Cases() {}

    /**
     * A named list of batches (a single batch is a list of one).
     *
     * @param name    what the test report shows
     * @param batches the operands
     */
    public record Case(String name, List<MatrixBatch> batches) {
        /** Fresh copies of the batches (so that a test can never see another test's writes). */
        public List<MatrixBatch> copies() {
            return TestMatrices.copy(batches);
        }

        /** Number of matrices in the flattened list. */
        public int matrices() {
            return TestMatrices.count(batches);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A case of one batch. */
    public static Case of(String name, MatrixBatch batch) {
        return new Case(name, List.of(batch));
    }

    /** The shapes every operation runs on. */
    public static Stream<Case> general() {
        return Stream.of(
                of("tall 40×24", KnownSpectrum.geometric(40, 24, 101, 2.0, 0.7).batch()),
                of("wide 24×40", KnownSpectrum.geometric(24, 40, 102, 3.0, 0.7).batch()),
                of("square 32×32", TestMatrices.gaussian(103, 1, 32, 32, 1 / Math.sqrt(32))),
                of("row 1×17", TestMatrices.gaussian(104, 1, 17)),
                of("column 17×1", TestMatrices.gaussian(105, 17, 1)),
                of("batch 4×10×7 with a zero matrix", withZeroMatrix(TestMatrices.gaussian(106, 4, 10, 7, 0.3), 2)),
                new Case("layers", TestMatrices.layers(107)));
    }

    /** The general shapes plus the exact SVD's harder ones. */
    public static Stream<Case> exact() {
        return Stream.concat(
                general(),
                Stream.of(
                        of("rank-deficient 30×20 rank 5", TestMatrices.rankDeficient(111, 30, 20, 5)),
                        of("rank-deficient 12×28 rank 1", TestMatrices.rankDeficient(112, 12, 28, 1)),
                        of("zero 6×4", TestMatrices.zeros(1, 6, 4)),
                        of(
                                "repeated σ₁ 24×16",
                                KnownSpectrum.of(24, 16, 113, 3, 3, 3, 1, 0.5, 0.25)
                                        .batch()),
                        of(
                                "spread 32×32, σ from 1 to 1e-6",
                                KnownSpectrum.geometric(32, 32, 114, 1, 0.64).batch()),
                        of("1×1", MatrixBatch.of(new float[] {-2.5f}, 1, 1))));
    }

    /** Inputs of power iteration whose spectra have a gap (σ₂/σ₁ ≤ 0.7), so 15 + 40 iterations converge. */
    public static Stream<Case> gapped() {
        return Stream.of(
                of(
                        "tall 40×24, ρ = 0.7",
                        KnownSpectrum.geometric(40, 24, 121, 2.0, 0.7).batch()),
                of(
                        "wide 20×36, ρ = 0.5",
                        KnownSpectrum.geometric(20, 36, 122, 5.0, 0.5).batch()),
                of("row 1×17", TestMatrices.gaussian(123, 1, 17)),
                of("column 17×1", TestMatrices.gaussian(124, 17, 1)),
                new Case(
                        "layers, ρ = 0.6",
                        List.of(
                                MatrixBatch.stack(List.of(
                                        KnownSpectrum.geometric(12, 20, 125, 1.0, 0.6)
                                                .batch(),
                                        KnownSpectrum.geometric(12, 20, 126, 7.0, 0.6)
                                                .batch())),
                                KnownSpectrum.geometric(30, 9, 127, 0.5, 0.6).batch(),
                                TestMatrices.gaussian(128, 1, 5))));
    }

    /** Inputs of {@code l1}: every entry of A − I at least 1e-3 away from 0 (SPEC.md). */
    public static Stream<Case> awayFromKinks() {
        return Stream.of(
                of("tall 24×12", TestMatrices.awayFromKinks(131, 24, 12, 0.3, 1e-3)),
                of("wide 12×24", TestMatrices.awayFromKinks(132, 12, 24, 0.3, 1e-3)),
                of("row 1×17", TestMatrices.awayFromKinks(133, 1, 17, 0.3, 1e-3)),
                of("column 17×1", TestMatrices.awayFromKinks(134, 17, 1, 0.3, 1e-3)),
                of(
                        "batch 3×6×9",
                        MatrixBatch.stack(List.of(
                                TestMatrices.awayFromKinks(135, 6, 9, 0.5, 1e-3),
                                TestMatrices.awayFromKinks(136, 6, 9, 0.5, 1e-3),
                                TestMatrices.awayFromKinks(137, 6, 9, 0.5, 1e-3)))),
                new Case(
                        "layers",
                        List.of(
                                TestMatrices.awayFromKinks(138, 5, 8, 0.5, 1e-3),
                                TestMatrices.awayFromKinks(139, 8, 5, 0.5, 1e-3))));
    }

    /** Small inputs for finite differences (every entry is differenced). */
    public static Stream<Case> small() {
        return Stream.of(
                of("wide 5×8", TestMatrices.awayFromKinks(141, 5, 8, 0.45, 1e-3)),
                of("tall 8×5", TestMatrices.awayFromKinks(142, 8, 5, 0.45, 1e-3)),
                of("row 1×6", TestMatrices.awayFromKinks(143, 1, 6, 0.45, 1e-3)),
                of("column 6×1", TestMatrices.awayFromKinks(144, 6, 1, 0.45, 1e-3)),
                new Case(
                        "layers",
                        List.of(
                                TestMatrices.awayFromKinks(145, 4, 6, 0.5, 1e-3),
                                MatrixBatch.stack(List.of(
                                        TestMatrices.awayFromKinks(146, 3, 3, 0.6, 1e-3),
                                        TestMatrices.awayFromKinks(147, 3, 3, 0.6, 1e-3))))));
    }

    /** Every combination of a case stream and a storage, for parameterized tests. */
    public static Stream<Arguments> withStorages(Stream<Case> cases) {
        List<Arguments> out = new ArrayList<>();
        cases.forEach(c -> {
            for (Storage s : Storage.values()) {
                out.add(Arguments.of(c, s));
            }
        });
        return out.stream();
    }

    private static MatrixBatch withZeroMatrix(MatrixBatch batch, int matrix) {
        float[] x = batch.toArray();
        int size = batch.shape().matrixSize();
        Arrays.fill(x, matrix * size, (matrix + 1) * size, 0f);
        return MatrixBatch.of(
                x, batch.shape().batch(), batch.shape().rows(), batch.shape().cols());
    }
}
