package dev.porter.observe;

/**
 * One line for the operator out of an exception: the messages along its cause chain, each
 * once. Exceptions that wrap another often repeat its message
 * ({@code UncheckedIOException(IOException)} says "java.net.BindException: ..."), and the
 * operator needs to read it only once. Used where a failure is shown rather than thrown: a
 * {@code /status} field that says why the kernel's view is missing, a log line.
 *
 * <p>Stateless; usable from any thread.
 */
public final class CauseChain {
    private CauseChain() {
    }

    /** The distinct messages of {@code t} and its causes, joined by ": "; the class name when none has one. */
    public static String describe(Throwable t) {
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
