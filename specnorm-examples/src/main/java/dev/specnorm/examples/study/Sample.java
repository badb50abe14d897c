package dev.specnorm.examples.study;

/**
 * One measured estimate: matrix {@code matrix} of a subject, after {@code k} iterations of power iteration
 * in {@code mode} (cold, warm or topk), singular value index {@code j} (1 = σ₁).
 *
 * @param gap           σ₂/σ₁ of the exact spectrum (NaN for a single singular value)
 * @param estimate      σ̂ⱼ
 * @param exact         σⱼ from the exact SVD
 * @param relativeError |σ̂ⱼ − σⱼ| / σⱼ (0 when both are 0)
 * @param withinBound   for j = 1, whether σ̂ ≤ σ(1 + 1e-6); true for j &gt; 1 (no bound there)
 */
public record Sample(
        String population,
        String group,
        String subject,
        int matrix,
        int rows,
        int cols,
        double gap,
        String mode,
        int k,
        int j,
        float estimate,
        float exact,
        double relativeError,
        boolean withinBound) {

    /** The CSV header of {@link #csv()}. */
    public static final String CSV_HEADER =
            "population,group,subject,matrix,rows,cols,gap,mode,k,j,estimate,exact,rel_error,within_bound";

    /** One CSV line (no timings: the same seed gives the same line on the same backend). */
    public String csv() {
        return Csv.field(population) + "," + Csv.field(group) + "," + Csv.field(subject) + "," + matrix + ","
                + rows + "," + cols + "," + gap + "," + mode + "," + k + "," + j + "," + estimate + "," + exact
                + "," + relativeError + "," + withinBound;
    }
}
