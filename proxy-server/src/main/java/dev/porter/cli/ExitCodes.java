package dev.porter.cli;

/**
 * The process's exit statuses, stable for scripts and service managers: 0 ok, 1 the
 * configuration is invalid, 2 the command line is wrong, 3 Porter could not bind or start.
 */
final class ExitCodes {
    static final int OK = 0;
    static final int INVALID_CONFIG = 1;
    /** Same value picocli uses for parse errors ({@code CommandLine.ExitCode.USAGE}). */
    static final int USAGE = 2;
    static final int CANNOT_START = 3;

    private ExitCodes() {
    }
}
