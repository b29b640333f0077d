package dev.porter.http;

import java.util.Objects;

/**
 * An absolute-form request target ({@code http://example.com:8080/a?b}) split into the
 * origin-form target to forward ({@code /a?b}) and the authority to use as {@code Host}
 * ({@code example.com:8080}).
 *
 * <p>RFC 9112 §3.2.2: a server must accept the absolute form, and when it is used the target's
 * authority wins over any {@code Host} field, which a proxy replaces. Porter forwards origin form
 * only, so that the upstream never has to choose between a target authority and a Host header
 * that disagree: {@link StartLine} parses every absolute-form target with this class, and the
 * request head sent upstream carries its origin form.
 *
 * <p>Only the {@code http} and {@code https} schemes are accepted, without userinfo
 * (RFC 9110 §4.2.4 asks recipients to treat userinfo as an error) and without a fragment
 * (never part of a request target, RFC 9112 §3.2).
 *
 * <p>Immutable; safe from any thread.
 */
final class AbsoluteFormTarget {
    private final String authority;
    private final String originForm;

    private AbsoluteFormTarget(String authority, String originForm) {
        this.authority = authority;
        this.originForm = originForm;
    }

    /**
     * Whether {@code target} is in absolute form, that is starts with a scheme and {@code ://}.
     * It says nothing about whether {@link #parse(String)} accepts it.
     */
    static boolean isAbsoluteForm(String target) {
        int colon = target.indexOf(':');
        if (colon <= 0 || !target.startsWith("//", colon + 1)) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = target.charAt(i);
            boolean alpha = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), RFC 3986 §3.1
            if (!(alpha || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Splits an absolute-form target.
     *
     * @throws IllegalArgumentException when {@code target} is not an {@code http} or
     *         {@code https} URI with a valid authority, or carries userinfo or a fragment
     */
    static AbsoluteFormTarget parse(String target) {
        Objects.requireNonNull(target, "target");
        int authorityStart = schemeEnd(target);
        if (authorityStart < 0) {
            throw new IllegalArgumentException("not an http or https absolute-form target");
        }
        if (target.indexOf('#') >= 0) {
            throw new IllegalArgumentException("fragment in request target");
        }
        int authorityEnd = authorityStart;
        while (authorityEnd < target.length()
                && target.charAt(authorityEnd) != '/' && target.charAt(authorityEnd) != '?') {
            authorityEnd++;
        }
        String authority = target.substring(authorityStart, authorityEnd);
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("userinfo in request target");
        }
        if (!HostAuthority.isValid(authority)) {
            throw new IllegalArgumentException("invalid authority in request target");
        }
        String rest = target.substring(authorityEnd);
        // An empty path is sent as "/" in origin form, also before a query (RFC 9112 §3.2.1).
        String originForm = rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest;
        return new AbsoluteFormTarget(authority, originForm);
    }

    /** The authority ({@code host[:port]}) to send as {@code Host}. */
    String authority() {
        return authority;
    }

    /** The origin-form target: the absolute path and query, never empty. */
    String originForm() {
        return originForm;
    }

    /** Index where the authority starts, or -1 when the scheme is not http or https. */
    private static int schemeEnd(String target) {
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            return 7;
        }
        if (target.regionMatches(true, 0, "https://", 0, 8)) {
            return 8;
        }
        return -1;
    }

    @Override
    public String toString() {
        return "AbsoluteFormTarget[" + authority + ", " + originForm + "]";
    }
}
