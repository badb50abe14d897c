package dev.specnorm.cli;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.examples.accuracy.AccuracyCheck;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accuracy check of {@code sigma --method power --check}: every power-iteration estimate against the
 * exact σ, computed by {@link AccuracyCheck} on the CPU whatever backend produced the estimates.
 */
final class AccuracyReport {

    private final AccuracyCheck.Report report;

    private AccuracyReport(AccuracyCheck.Report report) {
        this.report = report;
    }

    /** Compares {@code estimates}, one per matrix of {@code weights}, with the exact σ. */
    static AccuracyReport of(List<MatrixBatch> weights, float[] estimates) {
        return new AccuracyReport(AccuracyCheck.check(weights, estimates));
    }

    /**
     * {@code exactSigmas}, {@code absoluteErrors} (|σ̂ − σ|), {@code relativeErrors} (|σ̂ − σ|/σ),
     * {@code withinUpperBound} (σ̂ ≤ σ(1 + 1e-6)) per matrix, and the summary.
     */
    Map<String, Object> toJson() {
        List<AccuracyCheck.Row> rows = report.rows();
        float[] exact = new float[rows.size()];
        double[] absolute = new double[rows.size()];
        double[] relative = new double[rows.size()];
        List<Boolean> within =
                rows.stream().map(AccuracyCheck.Row::withinUpperBound).toList();
        for (int k = 0; k < exact.length; k++) {
            exact[k] = rows.get(k).exact();
            absolute[k] = rows.get(k).absoluteError();
            relative[k] = rows.get(k).relativeError();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("exactSigmas", exact);
        json.put("absoluteErrors", absolute);
        json.put("relativeErrors", relative);
        json.put("withinUpperBound", within);
        json.put("maxRelativeError", report.maxRelativeError());
        json.put("medianRelativeError", report.medianRelativeError());
        json.put("allWithinUpperBound", report.allWithinUpperBound());
        return json;
    }

    /** A table of estimate, exact σ and errors per matrix, and the summary. */
    void print(PrintWriter out) {
        TextTable table = new TextTable(
                "matrix", "sigma (estimate)", "sigma (exact)", "abs. error", "rel. error", "<= sigma(1+1e-6)");
        for (AccuracyCheck.Row row : report.rows()) {
            table.row(
                    row.matrix(),
                    TextTable.value(row.estimate()),
                    TextTable.value(row.exact()),
                    TextTable.small(row.absoluteError()),
                    TextTable.small(row.relativeError()),
                    row.withinUpperBound() ? "yes" : "NO");
        }
        table.print(out);
        out.println("relative error: max " + TextTable.small(report.maxRelativeError()) + ", median "
                + TextTable.small(report.medianRelativeError()) + "; every estimate within the upper bound: "
                + (report.allWithinUpperBound() ? "yes" : "no"));
    }
}
