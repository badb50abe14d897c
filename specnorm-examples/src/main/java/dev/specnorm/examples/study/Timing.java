package dev.specnorm.examples.study;

/**
 * Wall-clock cost of one method on one subject, per matrix.
 *
 * @param method exact-svd or power-iteration (per iteration)
 * @param msPerMatrix milliseconds per matrix (per iteration and matrix for power iteration)
 */
public record Timing(
        String population,
        String group,
        String subject,
        int rows,
        int cols,
        int matrices,
        String backend,
        String method,
        double msPerMatrix) {

    /** The CSV header of {@link #csv()}. */
    public static final String CSV_HEADER = "population,group,subject,rows,cols,matrices,backend,method,ms_per_matrix";

    /** One CSV line. */
    public String csv() {
        return Csv.field(population) + "," + Csv.field(group) + "," + Csv.field(subject) + "," + rows + "," + cols + ","
                + matrices + "," + backend + "," + method + "," + msPerMatrix;
    }
}
