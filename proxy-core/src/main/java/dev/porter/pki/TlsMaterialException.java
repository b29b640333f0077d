package dev.porter.pki;

/**
 * A certificate or key file that cannot be used: missing, unreadable, not PEM, encrypted, or
 * a key that does not belong to its certificate. The message is written for the operator and
 * names the file; the configuration reader adds the key and line that named the file.
 */
public final class TlsMaterialException extends Exception {
    private static final long serialVersionUID = 1L;

    TlsMaterialException(String message) {
        super(message);
    }

    TlsMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
