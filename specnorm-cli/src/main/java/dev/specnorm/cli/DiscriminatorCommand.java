package dev.specnorm.cli;

import dev.specnorm.api.SpectralBackend;
import dev.specnorm.examples.gan.DiscriminatorTrainer;
import dev.specnorm.examples.gan.SnCnnDiscriminator;
import dev.specnorm.examples.study.ProgressBar;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code specnorm discriminator}: trains the SN-GAN standard CNN discriminator ({@link SnCnnDiscriminator},
 * Miyato et al. 2018, Table 3) alone on synthetic labeled images ({@link DiscriminatorTrainer}), spectral
 * normalization of all eight layers by the library, and prints per step the loss, the accuracy and the time
 * split between convolution work, SN work and the rest; then, per layer, σ̂ = uᵀWv from the power-iteration
 * state against the exact σ(W), and the exact σ(W/σ̂).
 */
@Command(
        name = "discriminator",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = SpecnormVersion.class,
        header = "Train the SN-GAN standard CNN discriminator on synthetic images, SN on every layer by the library.",
        descriptionHeading = "%n",
        description = {
            "The discriminator of Miyato et al. 2018 (Table 3, 'standard CNN'): seven convolutions (3x3 s1 and "
                    + "4x4 s2 alternating, 3->64->64->128->128->256->256->512, LeakyReLU 0.1) and a dense layer "
                    + "8192->1, convolutions by im2col and a matrix product, every layer spectrally normalized "
                    + "through the library (FILTERS reshape, one power iteration per step, SN backward). Trained "
                    + "alone with the logistic loss and Adam on batches of 32x32 images, half smooth sinusoid "
                    + "patterns ('real'), half pixel noise ('fake'). Prints per step the loss, the accuracy and "
                    + "the milliseconds spent in convolution work, SN work and the rest; then sigma-hat versus "
                    + "the exact sigma of every layer.",
            "",
            "Example: specnorm discriminator --batch 8 --steps 10 --backend cpu"
        },
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure, including a backend that is not available here",
            "2:usage error: unknown option, bad value, missing argument"
        })
public final class DiscriminatorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--batch", order = 1, defaultValue = "8", description = "Images per step (even). Default: 8.")
    int batch;

    @Option(names = "--steps", order = 2, defaultValue = "10", description = "Training steps. Default: 10.")
    int steps;

    @Option(
            names = "--rate",
            order = 3,
            defaultValue = "2e-4",
            description = "Adam's learning rate (SN-GAN's). Default: 2e-4.")
    double rate;

    @Option(
            names = "--divisor",
            order = 4,
            defaultValue = "1",
            description = "Divide every channel count by 1, 2, 4, 8, 16 or 32 (1: the paper's network). Default: 1.")
    int divisor;

    @Option(names = "--seed", order = 5, defaultValue = "0", description = "Seed of weights and images. Default: 0.")
    long seed;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() {
        if (batch < 2 || batch % 2 != 0 || steps < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be even and at least 2, --steps at least 1");
        }
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new ParameterException(spec.commandLine(), "--rate must be positive");
        }
        if (divisor < 1 || divisor > 32 || Integer.bitCount(divisor) != 1) {
            throw new ParameterException(spec.commandLine(), "--divisor must be 1, 2, 4, 8, 16 or 32");
        }
        backendOption.requireKnown();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<DiscriminatorTrainer.Step> log = new ArrayList<>();
        List<DiscriminatorTrainer.LayerReport> layers;
        String backendName;
        try (SpectralBackend backend = backendOption.open();
                DiscriminatorTrainer trainer = new DiscriminatorTrainer(backend, divisor, batch, rate, seed)) {
            backendName = backend.name();
            out.printf(
                    Locale.ROOT,
                    "SN-GAN standard CNN discriminator%s, batch %d, %s backend%n",
                    divisor == 1 ? "" : " (channels / " + divisor + ")",
                    batch,
                    backendName);
            out.println(" step    loss  accuracy   conv ms     SN ms  other ms");
            out.flush();
            ProgressBar bar = new ProgressBar(err, ProgressBar.wanted(false), steps);
            for (int s = 0; s < steps; s++) {
                DiscriminatorTrainer.Step st = trainer.step();
                log.add(st);
                bar.step();
                out.printf(
                        Locale.ROOT,
                        "%5d  %6.4f  %8.3f  %8.1f  %8.2f  %8.1f%n",
                        st.step(),
                        st.loss(),
                        st.accuracy(),
                        st.convMs(),
                        st.snMs(),
                        st.otherMs());
                out.flush();
            }
            bar.finish();
            layers = trainer.layerReport();
        }
        int from = log.size() > 1 ? 1 : 0; // the first step includes the JIT's warm-up
        double conv = 0;
        double sn = 0;
        double other = 0;
        for (DiscriminatorTrainer.Step st : log.subList(from, log.size())) {
            conv += st.convMs();
            sn += st.snMs();
            other += st.otherMs();
        }
        int n = log.size() - from;
        double total = conv + sn + other;
        out.printf(
                Locale.ROOT,
                "mean per step%s: conv %.1f ms (%.1f%%), SN %.2f ms (%.2f%%), other %.1f ms (%.1f%%)%n",
                from == 1 ? " (steps 2.." + log.size() + ")" : "",
                conv / n,
                100 * conv / total,
                sn / n,
                100 * sn / total,
                other / n,
                100 * other / total);
        out.printf(
                Locale.ROOT,
                "loss: step 1 %.4f, step %d %.4f%n",
                log.get(0).loss(),
                log.size(),
                log.get(log.size() - 1).loss());
        out.println();
        out.println(
                "layer                        matrix        sigma-hat    exact sigma   rel. error   sigma(W/sigma-hat)");
        for (DiscriminatorTrainer.LayerReport r : layers) {
            out.printf(
                    Locale.ROOT,
                    "%-26s %5d x %-6d  %11.6g  %11.6g   %10.3e   %.7f%n",
                    r.name(),
                    r.rows(),
                    r.cols(),
                    r.sigmaHat(),
                    r.sigma(),
                    r.relativeError(),
                    r.normalizedSigma());
        }
        out.println("sigma-hat: u^T W v from the power-iteration state after the last step (no further iteration); "
                + "exact: by SVD.");
        out.flush();
        return ExitCodes.OK;
    }
}
