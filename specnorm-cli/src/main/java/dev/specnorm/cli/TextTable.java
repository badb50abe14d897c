package dev.specnorm.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** A plain-text table: a header row and data rows; numeric columns right-aligned, the others left-aligned. */
final class TextTable {

    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9.]+(e[-+]?[0-9]+)?( ms)?");

    private final List<String[]> rows = new ArrayList<>();

    /** A table with these column headers. */
    TextTable(String... headers) {
        rows.add(headers);
    }

    /** Adds a row; values are formatted with {@link String#valueOf}. */
    TextTable row(Object... values) {
        String[] cells = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            cells[i] = String.valueOf(values[i]);
        }
        rows.add(cells);
        return this;
    }

    /** Prints the table, indented by two spaces. */
    void print(PrintWriter out) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            numeric[c] = true;
            for (String[] row : rows.subList(1, rows.size())) {
                numeric[c] &= NUMBER.matcher(row[c]).matches();
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int c = 0; c < columns; c++) {
                String cell = row[c];
                String pad = " ".repeat(width[c] - cell.length());
                line.append(' ').append(numeric[c] ? pad + cell : cell + pad).append(c == columns - 1 ? "" : " ");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** A value such as σ: 8 significant digits. */
    static String value(double x) {
        return String.format(Locale.ROOT, "%.8g", x);
    }

    /** An error or a bound: 3 significant digits, scientific. */
    static String small(double x) {
        return String.format(Locale.ROOT, "%.2e", x);
    }

    /** A parameter as the user would type it: {@code 0.0001}, {@code 0.5}. */
    static String plain(float x) {
        return plain(Float.toString(x));
    }

    /** A parameter as the user would type it: {@code 0.000001}, {@code 0.5}. */
    static String plain(double x) {
        return plain(Double.toString(x));
    }

    private static String plain(String shortest) {
        boolean finite = !shortest.contains("N") && !shortest.contains("I");
        return finite ? new BigDecimal(shortest).stripTrailingZeros().toPlainString() : shortest;
    }

    /** Milliseconds, e.g. {@code 12.3 ms}. */
    static String millis(double ms) {
        return String.format(Locale.ROOT, ms < 10 ? "%.3f ms" : "%.1f ms", ms);
    }
}
