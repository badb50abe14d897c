package dev.specnorm.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ConvolutionReshape} against NumPy (fixtures/conv_reshape.txt, written by
 * src/test/python/make_fixtures.py): FILTERS = w.reshape(out, -1), SLICES = w.reshape(out·in, kh, kw),
 * TRANSPOSED = w.transpose(1, 0, 2, 3).reshape(out, -1) for a weight (in, out, kh, kw); and
 * {@link ConvolutionReshape#toWeightLayout} inverts each.
 */
class ConvolutionReshapeTest {

    private static final Map<String, float[]> FIXTURE = new HashMap<>();

    @BeforeAll
    static void load() throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ConvolutionReshapeTest.class.getResourceAsStream("fixtures/conv_reshape.txt"),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.trim().split(" ", -1);
                float[] x = new float[f.length - 1];
                for (int i = 1; i < f.length; i++) {
                    x[i - 1] = Float.parseFloat(f[i]);
                }
                FIXTURE.put(f[0], x);
            }
        }
    }

    @Test
    void filtersMatchesNumPy() {
        float[] w = FIXTURE.get("weight");
        MatrixBatch b = MatrixBatch.fromConvolution(w, 4, 3, 2, 3, ConvolutionReshape.FILTERS);
        assertEquals(new BatchShape(1, 4, 18), b.shape());
        assertArrayEquals(FIXTURE.get("filters"), b.toArray());
        w[0] += 1;
        assertEquals(w[0], b.get(0, 0, 0), "FILTERS is a view");
        w[0] -= 1;
    }

    @Test
    void slicesMatchesNumPy() {
        float[] w = FIXTURE.get("weight");
        MatrixBatch b = ConvolutionReshape.SLICES.toBatch(w, 4, 3, 2, 3);
        assertEquals(new BatchShape(12, 2, 3), b.shape());
        assertArrayEquals(FIXTURE.get("slices"), b.toArray());
    }

    @Test
    void transposedMatchesNumPy() {
        float[] w = FIXTURE.get("weight").clone();
        MatrixBatch b = MatrixBatch.fromConvolution(w, 4, 3, 2, 3, ConvolutionReshape.TRANSPOSED);
        assertEquals(new BatchShape(1, 3, 24), b.shape());
        assertArrayEquals(FIXTURE.get("transposed"), b.toArray());
        w[0] += 1;
        assertEquals(FIXTURE.get("transposed")[0], b.get(0, 0, 0), "TRANSPOSED copies");
    }

    @Test
    void toWeightLayoutInvertsEachReshape() {
        float[] w = FIXTURE.get("weight");
        for (ConvolutionReshape r : ConvolutionReshape.values()) {
            MatrixBatch b = r.toBatch(w, 4, 3, 2, 3);
            assertArrayEquals(w, r.toWeightLayout(b, 4, 3, 2, 3), r.toString());
        }
    }

    @Test
    void shapes() {
        assertEquals(new BatchShape(1, 64, 3 * 9), ConvolutionReshape.FILTERS.shape(64, 3, 3, 3));
        assertEquals(new BatchShape(192, 3, 3), ConvolutionReshape.SLICES.shape(64, 3, 3, 3));
        assertEquals(new BatchShape(1, 3, 64 * 16), ConvolutionReshape.TRANSPOSED.shape(64, 3, 4, 4));
    }

    @Test
    void rejectsBadWeights() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ConvolutionReshape.FILTERS.toBatch(new float[10], 2, 3, 2, 1));
        assertTrue(e.getMessage().contains("weight"), e.getMessage());
        assertThrows(NullPointerException.class, () -> ConvolutionReshape.SLICES.toBatch(null, 1, 1, 1, 1));
        IllegalArgumentException d =
                assertThrows(IllegalArgumentException.class, () -> ConvolutionReshape.SLICES.shape(1, 0, 1, 1));
        assertTrue(d.getMessage().startsWith("d1"), d.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> ConvolutionReshape.FILTERS.shape(1, 1 << 16, 1 << 8, 1 << 8));
        assertThrows(IllegalArgumentException.class, () -> ConvolutionReshape.SLICES.shape(1 << 16, 1 << 16, 1, 1));
        assertThrows(NullPointerException.class, () -> MatrixBatch.fromConvolution(new float[1], 1, 1, 1, 1, null));
        IllegalArgumentException s = assertThrows(
                IllegalArgumentException.class,
                () -> ConvolutionReshape.FILTERS.toWeightLayout(
                        MatrixBatch.zeros(new BatchShape(1, 3, 8)), 4, 3, 2, 3));
        assertTrue(s.getMessage().contains("FILTERS"), s.getMessage());
    }
}
