package dev.specnorm.cli.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for the small subset of Python literals an {@code .npy} header uses: dicts with string
 * keys, tuples, lists, strings, integers (with Python 2's {@code L} suffix, which old NumPy wrote), and
 * {@code True}, {@code False}, {@code None}. Anything else (expressions, names, floats, duplicate keys,
 * trailing text) is rejected, with the position. Results: {@link Map} (insertion order), {@link Tuple},
 * {@link List}, {@link String}, {@link BigInteger}, {@link Boolean}, {@link #NONE}.
 */
final class PythonLiteral {

    /** Python's {@code None}. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** A Python tuple, distinguished from a list because NumPy's {@code shape} must be a tuple. */
    record Tuple(List<Object> items) {}

    /** The text is not a literal of the supported subset. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message, int position) {
            super(message + " at character " + position);
        }
    }

    /** Deepest nesting accepted; deeper input is rejected rather than allowed to exhaust the stack. */
    static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** Parses {@code text}: one literal, optionally surrounded by whitespace. */
    static Object parse(String text) throws SyntaxException {
        PythonLiteral parser = new PythonLiteral(text);
        Object value = parser.value();
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw new SyntaxException("unexpected text after the literal", parser.pos);
        }
        return value;
    }

    private Object value() throws SyntaxException {
        skipWhitespace();
        if (pos >= text.length()) {
            throw new SyntaxException("unexpected end, expected a value", pos);
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{', '(', '[' -> container(c);
            case '\'', '"' -> string();
            default -> c == '-' || c == '+' || Character.isDigit(c) ? integer() : keyword();
        };
    }

    /** A dict, tuple or list, nested at most {@value #MAX_DEPTH} deep (an npy header needs 2). */
    private Object container(char open) throws SyntaxException {
        if (++depth > MAX_DEPTH) {
            throw new SyntaxException("literal nested more than " + MAX_DEPTH + " deep", pos);
        }
        Object value = switch (open) {
            case '{' -> dict();
            case '(' -> new Tuple(sequence('(', ')', true));
            default -> sequence('[', ']', false);
        };
        depth--;
        return value;
    }

    private Map<String, Object> dict() throws SyntaxException {
        expect('{');
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            skipWhitespace();
            if (peek('}')) {
                pos++;
                return Collections.unmodifiableMap(map);
            }
            int keyAt = pos;
            Object key = value();
            if (!(key instanceof String name)) {
                throw new SyntaxException("dict key " + key + " is not a string", keyAt);
            }
            skipWhitespace();
            expect(':');
            Object item = value();
            if (map.put(name, item) != null) {
                throw new SyntaxException("duplicate key '" + name + "'", keyAt);
            }
            if (!separator('}')) {
                throw new SyntaxException("expected ',' or '}'", pos);
            }
        }
    }

    private List<Object> sequence(char open, char close, boolean tuple) throws SyntaxException {
        expect(open);
        List<Object> items = new ArrayList<>();
        boolean sawComma = false;
        while (true) {
            skipWhitespace();
            if (peek(close)) {
                pos++;
                break;
            }
            items.add(value());
            if (!separator(close)) {
                throw new SyntaxException("expected ',' or '" + close + "'", pos);
            }
            sawComma |= text.charAt(pos - 1) == ',';
        }
        if (tuple && items.size() == 1 && !sawComma) {
            throw new SyntaxException("a parenthesized value is not a tuple (a 1-tuple needs a trailing comma)", pos);
        }
        return Collections.unmodifiableList(items);
    }

    /** Consumes ',' (returns true) or sees {@code close} without consuming it (returns true); else false. */
    private boolean separator(char close) {
        skipWhitespace();
        if (peek(',')) {
            pos++;
            return true;
        }
        return peek(close);
    }

    private String string() throws SyntaxException {
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\n') {
                break;
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    break;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '\\', '\'', '"' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    default -> throw new SyntaxException("unsupported escape \\" + e, pos - 2);
                }
            } else {
                out.append(c);
            }
        }
        throw new SyntaxException("unterminated string", pos);
    }

    private BigInteger integer() throws SyntaxException {
        int start = pos;
        if (peek('-') || peek('+')) {
            pos++;
        }
        int digits = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 128) {
            pos++;
        }
        if (pos == digits) {
            throw new SyntaxException("expected digits", pos);
        }
        BigInteger value = new BigInteger(text.substring(start, pos));
        if (peek('L')) {
            pos++;
        }
        if (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            throw new SyntaxException("only integers are supported here", start);
        }
        return value;
    }

    private Object keyword() throws SyntaxException {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String word = text.substring(start, pos);
        return switch (word) {
            case "True" -> true;
            case "False" -> false;
            case "None" -> NONE;
            default ->
                throw new SyntaxException(
                        word.isEmpty()
                                ? "unexpected character '" + text.charAt(start) + "'"
                                : "'" + word + "' is not a literal",
                        start);
        };
    }

    private void expect(char c) throws SyntaxException {
        if (!peek(c)) {
            throw new SyntaxException("expected '" + c + "'", pos);
        }
        pos++;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipWhitespace() {
        while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }
}
