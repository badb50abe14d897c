package dev.specnorm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SeededGaussian} against an independent NumPy/Python reimplementation of its javadoc
 * (fixtures/seeded_gaussian.txt, from src/test/python/make_fixtures.py): the mixer and the uniforms bit
 * for bit; the normals to a few ulps (Python's libm and Java's StrictMath may round sin, cos, log
 * differently in the last place).
 */
class SeededGaussianTest {

    private static final List<String[]> LINES = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SeededGaussianTest.class.getResourceAsStream("fixtures/seeded_gaussian.txt"),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    LINES.add(line.trim().split(" "));
                }
            }
        }
        assertTrue(LINES.size() > 100, "fixture loaded");
    }

    @Test
    void mixMatchesTheReference() {
        int n = 0;
        for (String[] f : LINES) {
            if (f[0].equals("mix")) {
                assertEquals(Long.parseLong(f[2]), SeededGaussian.mix(Long.parseLong(f[1])), "mix(" + f[1] + ")");
                n++;
            }
        }
        assertTrue(n >= 5);
    }

    @Test
    void uniformsMatchBitForBit() {
        SeededGaussian g = null;
        int n = 0;
        for (String[] f : LINES) {
            if (f[0].equals("uniform")) {
                if (f[3].equals("0")) {
                    g = new SeededGaussian(Long.parseLong(f[1]), Long.parseLong(f[2]));
                }
                assertEquals(
                        Double.parseDouble(f[4]),
                        g.nextUniform(),
                        "seed " + f[1] + ", index " + f[2] + ", draw " + f[3]);
                n++;
            }
        }
        assertTrue(n >= 40);
    }

    @Test
    void normalsMatchToAFewUlps() {
        SeededGaussian g = null;
        int n = 0;
        for (String[] f : LINES) {
            if (f[0].equals("gaussian")) {
                if (f[3].equals("0")) {
                    g = new SeededGaussian(Long.parseLong(f[1]), Long.parseLong(f[2]));
                }
                double expected = Double.parseDouble(f[4]);
                double actual = g.nextGaussian();
                assertEquals(
                        expected,
                        actual,
                        8 * Math.ulp(Math.max(1, Math.abs(expected))),
                        "seed " + f[1] + ", index " + f[2] + ", value " + f[3]);
                n++;
            }
        }
        assertTrue(n >= 60);
    }

    @Test
    void fillRoundsTheSameStreamToFloat() {
        SeededGaussian a = new SeededGaussian(5, 3);
        SeededGaussian b = new SeededGaussian(5, 3);
        float[] x = new float[11];
        a.fill(x, 2, 7);
        assertEquals(0f, x[0]);
        assertEquals(0f, x[1]);
        for (int i = 0; i < 7; i++) {
            assertEquals((float) b.nextGaussian(), x[2 + i]);
        }
        assertEquals(0f, x[9]);
        assertEquals(b.nextGaussian(), a.nextGaussian(), "fill advanced the stream by its length");
    }

    @Test
    void streamsDependOnSeedAndIndex() {
        double base = new SeededGaussian(0, 0).nextGaussian();
        assertEquals(base, new SeededGaussian(0, 0).nextGaussian());
        assertNotEquals(base, new SeededGaussian(0, 1).nextGaussian());
        assertNotEquals(base, new SeededGaussian(1, 0).nextGaussian());
    }

    /**
     * Matrix k of a call at first index f draws stream f + k; the index is taken modulo 2⁶⁴, so the largest
     * first index still names a stream (the one of index −2⁶³).
     */
    @Test
    void matrixStreamsAreOffsetByTheFirstIndex() {
        assertEquals(
                new SeededGaussian(7, 12).nextUniform(),
                SeededGaussian.ofMatrix(7, 9, 3).nextUniform());
        assertEquals(
                new SeededGaussian(7, 3).nextUniform(),
                SeededGaussian.ofMatrix(7, 0, 3).nextUniform());
        assertEquals(
                new SeededGaussian(7, Long.MIN_VALUE).nextUniform(),
                SeededGaussian.ofMatrix(7, Long.MAX_VALUE, 1).nextUniform());
        assertNotEquals(
                new SeededGaussian(7, 3).nextUniform(),
                SeededGaussian.ofMatrix(7, 9, 3).nextUniform());
    }

    @Test
    void normalsLookNormal() {
        SeededGaussian g = new SeededGaussian(0, 0);
        int n = 20000;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double z = g.nextGaussian();
            sum += z;
            sq += z * z;
        }
        assertEquals(0, sum / n, 0.05);
        assertEquals(1, sq / n, 0.05);
    }
}
