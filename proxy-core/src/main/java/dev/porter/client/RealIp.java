package dev.porter.client;

import dev.porter.config.AddressRange;
import dev.porter.config.RealIpConfig;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Function;

/**
 * A listener's trusted real client address, with nginx's realip semantics
 * ({@code set_real_ip_from}, {@code real_ip_header}, {@code real_ip_recursive}): when a
 * request's peer is trusted, its client address is the one the peer named in the real-ip
 * header; otherwise the peer is the client.
 *
 * <p>Reading the header follows nginx's {@code ngx_http_get_forwarded_addr}: the value is a
 * list of addresses read from its end. Without recursion the last address is the client,
 * trusted or not. With recursion the walk goes on past addresses that are themselves trusted
 * and stops at the first that is not; if all of them are trusted, the first one is the client.
 * An element that is not an address (a name, {@code unknown}, garbage) ends the walk: the last
 * address found is the client, or the peer if none was. Every {@code X-Forwarded-For} line
 * counts, in order, as one list; of any other header the first line is read. An address may
 * carry a port ({@code 203.0.113.7:4711}, {@code [2001:db8::1]:4711}), which is dropped.
 *
 * <p>Immutable and thread-safe: one per listener, used by all its workers. A request whose peer
 * is not trusted costs one comparison per trusted range and reads no header.
 */
public final class RealIp {
    private final AddressRange[] trusted;
    /** The header's name, lower case. */
    private final String headerName;
    private final boolean forwardedFor;
    private final boolean recursive;

    private RealIp(List<AddressRange> trusted, String header, boolean recursive) {
        this.trusted = trusted.toArray(AddressRange[]::new);
        this.headerName = header.toLowerCase(java.util.Locale.ROOT);
        this.forwardedFor = this.headerName.equals("x-forwarded-for");
        this.recursive = recursive;
    }

    /** The listener's real-IP settings; null when set-real-ip-from is empty (the peer is always the client). */
    public static RealIp of(RealIpConfig config) {
        return config.enabled() ? new RealIp(config.trusted(), config.header(), config.recursive()) : null;
    }

    /**
     * @param peer   the connection's address (socket or PROXY)
     * @param fields the request's header lines: every value of the header with a lower-case
     *               name, in order ({@code MessageHead::fields}); asked only when the peer is trusted
     * @return the request's client address: {@code peer} itself, or an address the trusted peer named
     */
    public ClientAddress resolve(ClientAddress peer, Function<String, List<String>> fields) {
        InetAddress found = peer.ip() != null && trusted(peer.ip()) ? fromHeader(fields) : null;
        return found != null ? peer.namedByPeer(found) : peer;
    }

    boolean trusted(InetAddress address) {
        for (AddressRange r : trusted) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The client named by a trusted peer, or null to keep the peer. */
    private InetAddress fromHeader(Function<String, List<String>> fields) {
        List<String> lines = fields.apply(headerName);
        String value;
        if (lines.isEmpty()) {
            value = null;
        } else if (forwardedFor) {
            value = lines.size() == 1 ? lines.get(0) : String.join(",", lines);
        } else {
            value = lines.get(0);
        }
        return value == null ? null : walk(value);
    }

    /** nginx's walk over the list from its end; see the class comment. */
    private InetAddress walk(String list) {
        InetAddress client = null;
        int end = list.length();
        do {
            while (end > 0 && isSeparator(list.charAt(end - 1))) {
                end--;
            }
            int start = end;
            while (start > 0 && !isSeparator(list.charAt(start - 1))) {
                start--;
            }
            InetAddress address = start < end ? parse(list.substring(start, end)) : null;
            if (address == null) {
                return client;
            }
            client = address;
            end = start;
        } while (recursive && trusted(client) && end > 0);
        return client;
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == ',';
    }

    /** An address with an optional port ({@code a.b.c.d[:port]}, {@code v6}, {@code [v6]:port}); null if it is none. */
    static InetAddress parse(String s) {
        byte[] bytes = literal(s);
        if (bytes == null) {
            String host;
            String port;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                    return null;
                }
                host = s.substring(1, close);
                port = s.substring(close + 2);
            } else {
                int colon = s.indexOf(':');
                if (colon < 0 || s.indexOf(':', colon + 1) >= 0) {
                    return null;
                }
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            }
            if (!isPort(port)) {
                return null;
            }
            bytes = literal(host);
        }
        try {
            // An address literal's bytes: no lookup. Java reports an IPv4-mapped IPv6 address as IPv4.
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] literal(String s) {
        boolean ok = NetUtil.isValidIpV4Address(s)
                || (NetUtil.isValidIpV6Address(s) && s.indexOf('%') < 0 && s.indexOf('[') < 0);
        return ok ? NetUtil.createByteArrayFromIpAddressString(s) : null;
    }

    private static boolean isPort(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return false;
        }
        int port = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= 65535;
    }
}
