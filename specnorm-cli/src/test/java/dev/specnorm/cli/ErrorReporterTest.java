package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Error lines stay one line and terminal-safe whatever a hostile file puts into a message. */
class ErrorReporterTest {

    @Test
    void lineBreaksJoinAndControlCharactersAreEscaped() {
        assertEquals(
                "bad header '<f4\\x1b[2J'; next line",
                ErrorReporter.oneLine("bad header '<f4\u001b[2J'\r\n next line"));
        assertEquals("tab\\x09and bell\\x07", ErrorReporter.oneLine("tab\tand bell\u0007"));
    }

    @Test
    void longMessagesAreCut() {
        String line = ErrorReporter.oneLine("x".repeat(10_000));
        assertEquals(ErrorReporter.MAX_MESSAGE + 3, line.length());
        assertTrue(line.endsWith("..."));
        assertEquals("short", ErrorReporter.oneLine("short"));
    }
}
