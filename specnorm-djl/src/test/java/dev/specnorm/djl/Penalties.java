package dev.specnorm.djl;

import dev.specnorm.api.Penalty;

/** The orthogonality penalties of SPEC.md in float64 without β, straight from the table (test reference). */
final class Penalties {

    private Penalties() {}

    static double value(Penalty penalty, double[][] w) {
        double[][] a = gram(w);
        return switch (penalty) {
            case BIGGAN -> sumOver(a, true, true);
            case SOFT -> sumOver(minusIdentity(a), true, false);
            case DOUBLE_SOFT ->
                sumOver(minusIdentity(a), true, false) + sumOver(minusIdentity(gram(transpose(w))), true, false);
            case L1 -> sumOver(minusIdentity(a), false, false);
            default -> throw new IllegalArgumentException(penalty.toString());
        };
    }

    private static double[][] gram(double[][] w) {
        int m = w.length;
        double[][] a = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < w[0].length; k++) {
                    a[i][j] += w[i][k] * w[j][k];
                }
            }
        }
        return a;
    }

    private static double[][] transpose(double[][] w) {
        double[][] t = new double[w[0].length][w.length];
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w[0].length; j++) {
                t[j][i] = w[i][j];
            }
        }
        return t;
    }

    private static double[][] minusIdentity(double[][] a) {
        for (int i = 0; i < a.length; i++) {
            a[i][i] -= 1;
        }
        return a;
    }

    private static double sumOver(double[][] a, boolean squared, boolean offDiagonalOnly) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                if (!(offDiagonalOnly && i == j)) {
                    s += squared ? a[i][j] * a[i][j] : Math.abs(a[i][j]);
                }
            }
        }
        return s;
    }
}
