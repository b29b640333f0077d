package dev.porter.http;

/**
 * Decides whether a {@code Host} value or the authority of an absolute-form target is one
 * Porter accepts: {@code uri-host [ ":" port ]} (RFC 9110 §7.2, RFC 3986 §3.2.2), restricted
 * to what every parser reads alike.
 *
 * <p>The accepted host is a bracketed IPv6 literal or a name made of letters, digits and
 * {@code - . _ ~}. RFC 3986 also allows sub-delims and percent-encoding in a reg-name; they are
 * refused on purpose: a {@code ,} or {@code %} in a Host is read as a list or decoded by some
 * back ends and not by others, and a routing decision must not depend on which one is right.
 * An empty host is refused because an "http" URI with an empty host is invalid (RFC 9110 §4.2.1)
 * and Porter routes by host; an empty port ({@code host:}) is refused because no sender needs it.
 *
 * <p>Stateless; safe from any thread.
 */
final class HostAuthority {
    private static final int MAX_PORT = 65535;

    private HostAuthority() {
    }

    static boolean isValid(CharSequence authority) {
        int length = authority.length();
        if (length == 0) {
            return false;
        }
        int hostEnd;
        if (authority.charAt(0) == '[') {
            hostEnd = ipLiteralEnd(authority);
        } else {
            hostEnd = 0;
            while (hostEnd < length && isNameChar(authority.charAt(hostEnd))) {
                hostEnd++;
            }
            if (hostEnd == 0) {
                return false;
            }
        }
        if (hostEnd < 0) {
            return false;
        }
        if (hostEnd == length) {
            return true;
        }
        return authority.charAt(hostEnd) == ':' && isPort(authority, hostEnd + 1);
    }

    /** Index just past the closing bracket of an IPv6 literal, or -1 when it is not one. */
    private static int ipLiteralEnd(CharSequence authority) {
        int i = 1;
        while (i < authority.length() && authority.charAt(i) != ']') {
            char c = authority.charAt(i);
            // IPv6address and an embedded IPv4 tail (RFC 3986 §3.2.2); IPvFuture is not accepted.
            if (!(isHexDigit(c) || c == ':' || c == '.')) {
                return -1;
            }
            i++;
        }
        if (i == authority.length() || i == 1) {
            return -1;
        }
        return i + 1;
    }

    private static boolean isPort(CharSequence authority, int start) {
        int length = authority.length() - start;
        if (length < 1 || length > 5) {
            return false;
        }
        int port = 0;
        for (int i = start; i < authority.length(); i++) {
            char c = authority.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= MAX_PORT;
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
