package dev.specnorm.cli;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.StateLayout;
import java.util.List;

/**
 * Where a command's power-iteration state starts: fresh (seeded, with warm-up) or imported from a state
 * file. Each {@link #open} gives new state from the same start, so repeated runs compute the same thing.
 */
abstract sealed class PowerStart {

    /** Fresh state: seeded initial vectors and {@code options.warmup()} iterations. */
    static PowerStart fresh(PowerOptions options) {
        return new Fresh(options);
    }

    /** State imported from saved vectors u (B×m) and v (B×n). */
    static PowerStart imported(float[] u, float[] v) {
        return new Imported(u, v);
    }

    /** New state for {@code weights} on {@code backend}; the caller closes it. */
    abstract PowerState open(SpectralBackend backend, List<MatrixBatch> weights);

    /** Whether the state was loaded from a file. */
    abstract boolean loaded();

    private static final class Fresh extends PowerStart {
        private final PowerOptions options;

        Fresh(PowerOptions options) {
            this.options = options;
        }

        @Override
        PowerState open(SpectralBackend backend, List<MatrixBatch> weights) {
            return backend.newPowerState(weights, options);
        }

        @Override
        boolean loaded() {
            return false;
        }
    }

    private static final class Imported extends PowerStart {
        private final float[] u;
        private final float[] v;

        Imported(float[] u, float[] v) {
            this.u = u;
            this.v = v;
        }

        @Override
        PowerState open(SpectralBackend backend, List<MatrixBatch> weights) {
            List<BatchShape> shapes = weights.stream().map(MatrixBatch::shape).toList();
            return backend.importPowerState(shapes, StateLayout.Operator.MATRIX, 1, u, v);
        }

        @Override
        boolean loaded() {
            return true;
        }
    }
}
