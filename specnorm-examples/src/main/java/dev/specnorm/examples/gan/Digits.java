package dev.specnorm.examples.gan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The 1,797 8×8 handwritten digits that scikit-learn ships ({@code load_digits}; the test part of the UCI
 * "Optical Recognition of Handwritten Digits" set, E. Alpaydin and C. Kaynak, CC BY 4.0), bundled as
 * {@code digits.csv.gz} by {@code scripts/make-digits-fixture.py}. Pixels p ∈ {0, …, 16} are held as
 * x = p/8 − 1 ∈ [−1, 1], the range of a tanh generator; image n is {@code pixels[64n … 64n + 63]}, row by row.
 */
public final class Digits {

    /** Side of an image. */
    public static final int SIDE = 8;
    /** Pixels per image. */
    public static final int PIXELS = SIDE * SIDE;

    private final double[] pixels;
    private final int[] labels;

    private Digits(double[] pixels, int[] labels) {
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * Reads the bundled data set.
     *
     * @throws UncheckedIOException if the resource is missing or a line is not a label and 64 pixels in 0..16
     */
    public static Digits load() {
        try (InputStream raw = Digits.class.getResourceAsStream("digits.csv.gz")) {
            if (raw == null) {
                throw new UncheckedIOException(new IOException("digits.csv.gz is not on the class path"));
            }
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
            List<String> lines = in.lines().filter(l -> !l.isBlank()).toList();
            double[] x = new double[lines.size() * PIXELS];
            int[] y = new int[lines.size()];
            for (int n = 0; n < lines.size(); n++) {
                String[] f = lines.get(n).split(",", -1);
                if (f.length != PIXELS + 1) {
                    throw new IOException("digits.csv.gz line " + (n + 1) + ": " + f.length + " fields, expected 65");
                }
                y[n] = Integer.parseInt(f[0]);
                for (int p = 0; p < PIXELS; p++) {
                    int v = Integer.parseInt(f[p + 1]);
                    if (v < 0 || v > 16) {
                        throw new IOException("digits.csv.gz line " + (n + 1) + ": pixel " + v + " outside 0..16");
                    }
                    x[n * PIXELS + p] = v / 8.0 - 1;
                }
            }
            return new Digits(x, y);
        } catch (IOException | NumberFormatException e) {
            throw new UncheckedIOException(e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Image n's 64 pixels in [−1, 1] (a copy). */
    public double[] image(int n) {
        return Arrays.copyOfRange(pixels, n * PIXELS, (n + 1) * PIXELS);
    }

    /** Image n's digit, 0..9. */
    public int label(int n) {
        return labels[n];
    }

    /** The images {@code rows[0]}, {@code rows[1]}, … one after another (batch × 1 × 8 × 8). */
    public double[] batch(int[] rows) {
        double[] out = new double[rows.length * PIXELS];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(pixels, rows[i] * PIXELS, out, i * PIXELS, PIXELS);
        }
        return out;
    }
}
