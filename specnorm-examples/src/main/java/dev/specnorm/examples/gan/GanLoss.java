package dev.specnorm.examples.gan;

import java.util.Locale;

/**
 * The GAN objectives, as functions of the discriminator's output t = D(x) on one sample; a batch's loss is
 * the mean. Each gives the discriminator's loss on a real and on a generated sample, the generator's loss on a
 * generated one, and their derivatives in t:
 * <ul>
 *   <li>{@link #BCE}: the non-saturating logistic losses of Goodfellow et al. (2014): L_D = softplus(−t_real) +
 *       softplus(t_fake), L_G = softplus(−t_fake);</li>
 *   <li>{@link #HINGE}: the hinge loss of SN-GAN (Miyato et al. 2018; Lim &amp; Ye 2017): L_D = max(0, 1 − t_real)
 *       + max(0, 1 + t_fake), L_G = −t_fake;</li>
 *   <li>{@link #WASSERSTEIN}: the WGAN critic loss (Arjovsky et al. 2017), with the Lipschitz constraint
 *       supplied by the discriminator's constraint: L_D = −t_real + t_fake, L_G = −t_fake.</li>
 * </ul>
 * At the hinge's kinks the derivative taken is that of the side t &gt; 1 (resp. t &lt; −1), i.e. 0.
 */
public enum GanLoss {
    /** Non-saturating logistic (binary cross-entropy) losses. */
    BCE {
        @Override
        public double real(double t) {
            return softplus(-t);
        }

        @Override
        public double realDerivative(double t) {
            return -sigmoid(-t);
        }

        @Override
        public double fake(double t) {
            return softplus(t);
        }

        @Override
        public double fakeDerivative(double t) {
            return sigmoid(t);
        }

        @Override
        public double generator(double t) {
            return softplus(-t);
        }

        @Override
        public double generatorDerivative(double t) {
            return -sigmoid(-t);
        }
    },
    /** The hinge loss. */
    HINGE {
        @Override
        public double real(double t) {
            return Math.max(0, 1 - t);
        }

        @Override
        public double realDerivative(double t) {
            return t < 1 ? -1 : 0;
        }

        @Override
        public double fake(double t) {
            return Math.max(0, 1 + t);
        }

        @Override
        public double fakeDerivative(double t) {
            return t > -1 ? 1 : 0;
        }

        @Override
        public double generator(double t) {
            return -t;
        }

        @Override
        public double generatorDerivative(double t) {
            return -1;
        }
    },
    /** The Wasserstein (critic) loss. */
    WASSERSTEIN {
        @Override
        public double real(double t) {
            return -t;
        }

        @Override
        public double realDerivative(double t) {
            return -1;
        }

        @Override
        public double fake(double t) {
            return t;
        }

        @Override
        public double fakeDerivative(double t) {
            return 1;
        }

        @Override
        public double generator(double t) {
            return -t;
        }

        @Override
        public double generatorDerivative(double t) {
            return -1;
        }
    };

    /** The discriminator's loss on a real sample with output t. */
    public abstract double real(double t);

    /** d real(t) / dt. */
    public abstract double realDerivative(double t);

    /** The discriminator's loss on a generated sample with output t. */
    public abstract double fake(double t);

    /** d fake(t) / dt. */
    public abstract double fakeDerivative(double t);

    /** The generator's loss on a generated sample with output t. */
    public abstract double generator(double t);

    /** d generator(t) / dt. */
    public abstract double generatorDerivative(double t);

    /** The command-line name: bce, hinge, wasserstein. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The loss named {@code name} (any case).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static GanLoss fromName(String name) {
        for (GanLoss l : values()) {
            if (l.cliName().equalsIgnoreCase(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "': expected hinge, wasserstein or bce");
    }

    /** log(1 + eˣ) without overflow. */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /** 1 / (1 + e⁻ˣ) without overflow. */
    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
