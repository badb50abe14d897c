package dev.specnorm.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.specnorm.api.SpectralBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON object a command prints with {@code --json}: {@code command}, then (for commands that read
 * weights) {@code file}, {@code backend}, {@code shape}, {@code reshape}, {@code matrices}, then the
 * command's results, then {@code timing} with {@code --repeat}. Keys keep the order they were put in.
 * Values may be strings, numbers, booleans, null, paths, arrays of float, double or int, nested
 * {@code float[][]}, lists and maps of these.
 */
final class JsonReport {

    /** Closing a generator flushes the command's output stream but leaves it open. */
    private static final JsonFactory FACTORY =
            JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private JsonReport(String command) {
        fields.put("command", command);
    }

    /** A report of {@code command} with nothing else yet. */
    static JsonReport of(String command) {
        return new JsonReport(command);
    }

    /** A report of {@code command} on {@code weights} computed by {@code backend}. */
    static JsonReport of(String command, Weights weights, SpectralBackend backend) {
        JsonReport report = new JsonReport(command);
        report.put("file", weights.file());
        report.put("backend", backend.name());
        report.put("shape", weights.fileShape());
        if (weights.reshape() != null) {
            report.put("reshape", ReshapeConverter.nameOf(weights.reshape()));
        }
        Map<String, Object> matrices = new LinkedHashMap<>();
        matrices.put("count", weights.shape().batch());
        matrices.put("rows", weights.shape().rows());
        matrices.put("cols", weights.shape().cols());
        report.put("matrices", matrices);
        return report;
    }

    /** Adds (or replaces) {@code key}. */
    JsonReport put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** Adds {@code "timing": {"medianMs", "minMs", "repeat"}} when the run was timed. */
    JsonReport putTiming(RepeatOption.Timed<?> timed) {
        if (timed.reported()) {
            Map<String, Object> timing = new LinkedHashMap<>();
            timing.put("medianMs", timed.medianMs());
            timing.put("minMs", timed.minMs());
            timing.put("repeat", timed.runs());
            fields.put("timing", timing);
        }
        return this;
    }

    /** Writes the object and a newline to {@code out}. */
    void print(PrintWriter out) {
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            write(json, fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
        out.flush();
    }

    private static void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String s) {
            json.writeString(s);
        } else if (value instanceof Path p) {
            json.writeString(p.toString());
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Float f) {
            json.writeNumber(f);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else if (value instanceof Integer i) {
            json.writeNumber(i);
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof float[] a) {
            json.writeStartArray();
            for (float x : a) {
                json.writeNumber(x);
            }
            json.writeEndArray();
        } else if (value instanceof double[] a) {
            json.writeArray(a, 0, a.length);
        } else if (value instanceof int[] a) {
            json.writeArray(a, 0, a.length);
        } else if (value instanceof float[][] rows) {
            json.writeStartArray();
            for (float[] row : rows) {
                write(json, row);
            }
            json.writeEndArray();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                write(json, item);
            }
            json.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                json.writeFieldName(e.getKey().toString());
                write(json, e.getValue());
            }
            json.writeEndObject();
        } else {
            throw new IllegalArgumentException(
                    "no JSON form for " + value.getClass().getName());
        }
    }
}
