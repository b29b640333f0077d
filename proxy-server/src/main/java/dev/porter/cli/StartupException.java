package dev.porter.cli;

/**
 * Porter could not start: an address could not be bound, a file could not be opened. Its
 * message is written for the operator ("cannot bind 127.0.0.1:8000: Address already in use")
 * and is all that is printed unless {@code --debug} asks for the stack trace.
 */
final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StartupException(String what, Throwable cause) {
        super(what + ": " + describe(cause), cause);
    }

    /**
     * The messages along a cause chain, each once: exceptions that wrap another often repeat
     * its message ({@code UncheckedIOException(IOException)} says "java.net.BindException: ..."),
     * and the operator needs to read it only once.
     */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m == null || m.isBlank() || (c.getCause() != null && m.equals(c.getCause().toString()))) {
                continue;
            }
            if (sb.indexOf(m) >= 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(m);
        }
        return sb.length() > 0 ? sb.toString() : t.getClass().getSimpleName();
    }
}
