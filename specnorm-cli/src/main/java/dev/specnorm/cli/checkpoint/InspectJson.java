package dev.specnorm.cli.checkpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.specnorm.api.ConvolutionReshape;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The JSON form of inspections: per checkpoint {@code file}, {@code format}, {@code backend}, the options,
 * {@code layers} (one object per {@link LayerReport}), {@code skipped} and the σ₁ product; a value that does
 * not exist (NaN: no Lanczos bound, not a convolution) is written as null.
 */
public final class InspectJson {

    private InspectJson() {}

    /** Writes the fields of one checkpoint's report into the object {@code j} is inside. */
    public static void writeFields(JsonGenerator j, CheckpointReport r) throws IOException {
        j.writeStringField("file", r.file().toString());
        j.writeStringField("format", r.format());
        j.writeStringField("backend", r.backend());
        InspectOptions o = r.options();
        j.writeStringField("method", o.method().toString());
        j.writeNumberField("iterations", o.iterations());
        j.writeNumberField("seed", o.seed());
        j.writeStringField("reshape", o.reshape().name().toLowerCase(Locale.ROOT));
        j.writeNumberField("inputSize", o.inputSize());
        if (o.layers() != null) {
            j.writeStringField("layersPattern", o.layers().pattern());
        }
        j.writeNumberField("tensors", r.tensors());
        j.writeArrayFieldStart("layers");
        for (LayerReport l : r.layers()) {
            j.writeStartObject();
            j.writeStringField("name", l.name());
            j.writeArrayFieldStart("shape");
            for (int d : l.shape()) {
                j.writeNumber(d);
            }
            j.writeEndArray();
            j.writeStringField("dtype", l.dtype().typeName());
            j.writeNumberField("matrices", l.matrices());
            j.writeNumberField("rows", l.rows());
            j.writeNumberField("cols", l.cols());
            number(j, "sigma", l.sigma());
            number(j, "residualBound", l.residualBound());
            number(j, "powerSigma", l.powerSigma());
            number(j, "powerRelativeError", l.powerRelativeError());
            number(j, "frobenius", l.frobenius());
            number(j, "stableRank", l.stableRank());
            if (l.shape().length == 4) {
                number(j, "convOperatorNorm", l.convOperatorNorm());
                j.writeBooleanField("convOperatorConverged", l.convOperatorConverged());
                number(j, "convCircularNorm", l.convCircularNorm());
            }
            j.writeEndObject();
        }
        j.writeEndArray();
        j.writeObjectFieldStart("skipped");
        j.writeNumberField("rankBelow2", r.skippedLowRank());
        j.writeNumberField("notSelected", r.skippedNotSelected());
        j.writeEndObject();
        number(j, "sigmaProduct", r.sigmaProduct());
        number(j, "log10SigmaProduct", r.log10SigmaProduct());
    }

    /** Writes {@code {"command": "inspect", ...}} for one checkpoint. */
    public static void write(JsonGenerator j, CheckpointReport r) throws IOException {
        j.writeStartObject();
        j.writeStringField("command", "inspect");
        writeFields(j, r);
        j.writeEndObject();
    }

    /** Writes {@code {"command": "inspect", "directory": ..., "checkpoints": [...]}}. */
    public static void writeDirectory(JsonGenerator j, String directory, List<CheckpointReport> reports)
            throws IOException {
        j.writeStartObject();
        j.writeStringField("command", "inspect");
        j.writeStringField("directory", directory);
        j.writeArrayFieldStart("checkpoints");
        for (CheckpointReport r : reports) {
            j.writeStartObject();
            writeFields(j, r);
            j.writeEndObject();
        }
        j.writeEndArray();
        j.writeEndObject();
    }

    private static void number(JsonGenerator j, String name, double value) throws IOException {
        if (Double.isFinite(value)) {
            j.writeNumberField(name, value);
        } else {
            j.writeNullField(name);
        }
    }

    static String reshapeName(ConvolutionReshape reshape) {
        return reshape.name().toLowerCase(Locale.ROOT);
    }
}
