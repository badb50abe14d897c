package dev.specnorm.examples.study;

import dev.specnorm.examples.conv.ConvolutionNorms;
import java.util.List;

/**
 * Everything a study measured.
 *
 * @param backend the backend's name
 * @param samples every estimate, in a fixed order
 * @param timings the costs (not reproducible; kept apart from the samples)
 * @param conv    the conv layers' norms (empty without the sngan population)
 */
public record StudyResult(
        StudyConfig config, String backend, List<Sample> samples, List<Timing> timings, List<ConvResult> conv) {

    /**
     * One conv layer's analysis.
     *
     * @param name  e.g. conv2
     * @param norms its norms
     */
    public record ConvResult(String name, ConvolutionNorms.Layer norms) {

        /** The CSV header of {@link #csv()}. */
        public static final String CSV_HEADER = "layer,out,in,kh,kw,stride,padding,input,operator_norm,iterations,"
                + "converged,circular_norm,reshaped_sigma,operator_over_reshaped,circular_over_reshaped,upper_factor,"
                + "lower_bound_applies,upper_bound_holds,lower_bound_holds";

        /** One CSV line. */
        public String csv() {
            ConvolutionNorms.Layer l = norms;
            return name + "," + l.out() + "," + l.in() + "," + l.kh() + "," + l.kw() + "," + l.stride() + ","
                    + l.padding() + "," + l.inputSize() + "," + l.operatorNorm() + "," + l.iterations() + ","
                    + l.converged() + "," + l.circularNorm() + "," + l.reshapedSigma() + "," + l.operatorRatio() + ","
                    + l.circularRatio() + "," + l.upperFactor() + "," + l.lowerBoundApplies() + ","
                    + l.upperBoundHolds(StudyRunner.BOUND_SLACK) + "," + l.lowerBoundHolds(StudyRunner.BOUND_SLACK);
        }
    }

    public StudyResult {
        samples = List.copyOf(samples);
        timings = List.copyOf(timings);
        conv = List.copyOf(conv);
    }
}
