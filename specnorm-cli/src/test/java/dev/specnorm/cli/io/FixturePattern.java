package dev.specnorm.cli.io;

/** The values of the fixtures made by {@code make_fixtures.py}'s {@code pattern}. */
final class FixturePattern {

    private FixturePattern() {}

    /** Entry k in C order is ((37 k) mod 101 − 50) / 8, exact in float32. */
    static float[] values(int count) {
        float[] out = new float[count];
        for (int k = 0; k < count; k++) {
            out[k] = (float) (((37L * k) % 101 - 50) / 8.0);
        }
        return out;
    }
}
