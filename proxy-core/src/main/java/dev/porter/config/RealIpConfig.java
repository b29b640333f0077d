package dev.porter.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A listener's trusted real client address (nginx's realip): {@code set-real-ip-from},
 * {@code real-ip-header}, {@code real-ip-recursive}. Off while {@code trusted} is empty.
 */
public record RealIpConfig(List<AddressRange> trusted, String header, boolean recursive) {
    public RealIpConfig {
        trusted = List.copyOf(trusted);
        Objects.requireNonNull(header, "header");
    }

    public boolean enabled() {
        return !trusted.isEmpty();
    }

    static RealIpConfig from(ConfigReader r) {
        List<AddressRange> trusted = r.addressRanges("set-real-ip-from");
        String header = r.string("real-ip-header").trim();
        if (!isToken(header)) {
            r.problem("real-ip-header", "must be a header name, was \"" + header + "\"");
        } else if (header.toLowerCase(Locale.ROOT).equals("proxy_protocol")) {
            // nginx's special value; here a PROXY listener's address is the peer's already.
            r.problem("real-ip-header", "proxy_protocol is not a header: set proxy-protocol = true on the listener,"
                    + " and its PROXY address is the client address");
        }
        return new RealIpConfig(trusted, header, r.bool("real-ip-recursive"));
    }

    /** RFC 9110 §5.1: a field name is a token. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean tchar = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }
}
