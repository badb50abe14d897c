package dev.specnorm.examples.study;

import java.io.Console;
import java.io.PrintWriter;

/**
 * A one-line progress bar redrawn in place ({@code \r}) on the terminal: {@code [#####.....] 12/40 what}.
 * Disabled (prints nothing) when stderr is not a terminal or output is JSON.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean enabled;
    private final int total;
    private int done;
    private int lastLength;

    /**
     * @param err     where to draw
     * @param enabled whether to draw at all
     * @param total   units of work
     */
    public ProgressBar(PrintWriter err, boolean enabled, int total) {
        this.err = err;
        this.enabled = enabled;
        this.total = Math.max(1, total);
    }

    /** Whether a bar should be drawn: a console is attached and output is not JSON. */
    public static boolean wanted(boolean json) {
        return !json && onTerminal();
    }

    /**
     * Whether the console is a terminal: {@code Console.isTerminal()} where it exists (Java 22 on, where a
     * console is also returned for redirected streams), else whether there is a console at all.
     */
    @SuppressWarnings("SystemConsoleNull") // null is the answer before Java 22; isTerminal() decides from 22 on
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Shows that {@code what} starts. */
    public void start(String what) {
        draw(what);
    }

    /** Marks one unit done. */
    public void step() {
        done = Math.min(total, done + 1);
        draw("");
    }

    /**
     * Counts one unit done and shows {@code line} beside the bar; with the bar disabled, prints {@code line}
     * on a line of its own, indented by two spaces. Safe to call from several threads at once.
     */
    public synchronized void report(String line) {
        if (enabled) {
            step();
            start(line);
        } else {
            err.println("  " + line);
            err.flush();
        }
    }

    /** Ends the line. */
    public void finish() {
        if (enabled) {
            draw("done");
            err.println();
            err.flush();
        }
    }

    private void draw(String what) {
        if (!enabled) {
            return;
        }
        int filled = done * WIDTH / total;
        String line = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total + " " + what;
        if (line.length() > 100) {
            line = line.substring(0, 100);
        }
        String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
        err.print("\r" + line + pad);
        err.flush();
        lastLength = line.length();
    }
}
