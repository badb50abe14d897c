package dev.specnorm.cli;

import dev.specnorm.api.ConvolutionReshape;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/** Reads {@code --reshape filters|slices|transposed} (any case) and lists those names as candidates. */
public final class ReshapeConverter implements CommandLine.ITypeConverter<ConvolutionReshape>, Iterable<String> {

    private static final List<String> NAMES = List.of("filters", "slices", "transposed");

    @Override
    public ConvolutionReshape convert(String value) {
        String name = value.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not one of filters, slices, transposed");
        }
        return ConvolutionReshape.valueOf(name.toUpperCase(Locale.ROOT));
    }

    @Override
    public Iterator<String> iterator() {
        return NAMES.iterator();
    }

    /** The name of {@code reshape} on the command line and in JSON. */
    public static String nameOf(ConvolutionReshape reshape) {
        return reshape.name().toLowerCase(Locale.ROOT);
    }
}
