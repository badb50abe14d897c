package dev.specnorm.api.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The same call gives the same answer wherever its operands live (host array, direct buffer, backend
 * buffer) and whoever else is calling: a deterministic trace of every stateful operation and penalty,
 * compared bit for bit across storages and across concurrent callers (each with its own state, as the
 * threading rules require).
 */
public abstract class ConsistencyContract extends ContractSupport {

    /** The storages the callers take in turn. */
    private static final List<Storage> STORAGES = List.of(Storage.values());

    /** Every result of a fixed sequence of calls, flattened. */
    private List<float[]> trace(Storage storage, List<MatrixBatch> host, long seed) {
        List<float[]> out = new ArrayList<>();
        try (Operands ops = operands(storage)) {
            List<Matrices> w = ops.inputs(host);
            List<Matrices> g = ops.inputs(randomLike(host, seed + 1));
            try (PowerState state = backend().newPowerState(w, PowerOptions.DEFAULT.withSeed(seed));
                    PowerState srip = backend().newSripState(w, PowerOptions.DEFAULT.withSeed(seed))) {
                out.add(backend().powerIteration(w, state, 2));
                List<Matrices> normalized = ops.outputs(shapes(host));
                out.add(backend().normalize(w, state, 1, normalized));
                addAll(out, normalized);
                List<Matrices> back = ops.outputs(shapes(host));
                backend().normalizeBackward(w, state, g, back);
                addAll(out, back);
                List<Matrices> rg = ops.outputs(shapes(host));
                out.add(backend().spectralRegularizer(w, state, 1, 0.5f, rg).perMatrix());
                addAll(out, rg);
                out.add(state.exportU());
                out.add(state.exportV());
                for (Penalty p : Penalty.values()) {
                    List<Matrices> pg = ops.outputs(shapes(host));
                    out.add(backend().orthogonalPenalty(w, p, 0.01f, pg).perMatrix());
                    addAll(out, pg);
                }
                List<Matrices> sg = ops.outputs(shapes(host));
                out.add(backend().srip(w, srip, 1, 0.01f, sg).perMatrix());
                addAll(out, sg);
                out.add(backend().spectralNorm(w));
            }
            ops.assertInputsUnchanged();
        }
        return out;
    }

    private static void addAll(List<float[]> out, List<Matrices> outputs) {
        for (MatrixBatch b : Operands.read(outputs)) {
            out.add(b.toArray());
        }
    }

    private static void assertSameTrace(List<float[]> expected, List<float[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int k = 0; k < expected.size(); k++) {
            assertArrayEquals(expected.get(k), actual.get(k), what + ": result " + k + " of the trace");
        }
    }

    @Test
    void storagesGiveIdenticalResults() {
        List<MatrixBatch> host = TestMatrices.layers(1001);
        List<float[]> reference = trace(Storage.HOST, host, 3);
        for (Storage s : new Storage[] {Storage.DIRECT, Storage.BUFFER}) {
            assertSameTrace(reference, trace(s, TestMatrices.copy(host), 3), s + " versus HOST");
        }
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        int callers = 4;
        List<List<MatrixBatch>> inputs = new ArrayList<>();
        List<List<float[]>> sequential = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            inputs.add(TestMatrices.layers(1100 + c));
            sequential.add(trace(STORAGES.get(c % STORAGES.size()), inputs.get(c), c));
        }
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<List<float[]>>> futures = new ArrayList<>();
                for (int c = 0; c < callers; c++) {
                    int caller = c;
                    futures.add(pool.submit(
                            () -> trace(STORAGES.get(caller % STORAGES.size()), inputs.get(caller), caller)));
                }
                for (int c = 0; c < callers; c++) {
                    assertSameTrace(sequential.get(c), futures.get(c).get(), "caller " + c + ", round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
