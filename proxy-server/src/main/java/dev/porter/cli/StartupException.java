package dev.porter.cli;

import dev.porter.observe.CauseChain;

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

    /** One line for the operator: the messages along the cause chain, each once. */
    static String describe(Throwable t) {
        return CauseChain.describe(t);
    }
}
