package dev.porter.config;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * A block of IP addresses written as an address ({@code 127.0.0.1}, {@code ::1}) or a CIDR
 * ({@code 10.0.0.0/8}, {@code 2001:db8::/32}): an entry of a listener's
 * {@code set-real-ip-from}. Parsed once at load from literals only, so that matching an address
 * is a comparison of bytes, never a lookup.
 *
 * <p>Immutable and thread-safe; equal when they cover the same addresses (a reload compares
 * listener settings).
 */
public final class AddressRange {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private AddressRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
        String address = NetUtil.bytesToIpAddress(network);
        this.text = prefix == network.length * 8 ? address : address + "/" + prefix;
    }

    /**
     * @throws IllegalArgumentException with the reason, for anything but an IP literal with an
     *         optional prefix length that leaves no host bits set
     */
    public static AddressRange parse(String raw) {
        String s = raw.trim();
        int slash = s.indexOf('/');
        String address = slash >= 0 ? s.substring(0, slash) : s;
        boolean literal = NetUtil.isValidIpV4Address(address)
                || (NetUtil.isValidIpV6Address(address) && address.indexOf('%') < 0 && address.indexOf('[') < 0);
        byte[] bytes = literal ? NetUtil.createByteArrayFromIpAddressString(address) : null;
        if (bytes == null) {
            throw new IllegalArgumentException("\"" + raw + "\" is not an IP address or CIDR (names are not looked up)");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = s.substring(slash + 1);
            try {
                prefix = length.isEmpty() || length.length() > 3 ? -1 : Integer.parseInt(length);
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("\"" + raw + "\": the prefix length must be 0-" + bits);
            }
        }
        AddressRange range = new AddressRange(mask(bytes, prefix), prefix);
        if (!Arrays.equals(range.network, bytes)) {
            // nginx takes 10.0.0.1/8 as 10.0.0.0/8 with a warning; for a list of trusted hops a
            // typo of the prefix is more likely than a wish for the whole network.
            throw new IllegalArgumentException("\"" + raw + "\" has bits set past its prefix: write " + range);
        }
        return range.mappedToIpv4();
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    /**
     * An IPv4-mapped IPv6 range ({@code ::ffff:10.0.0.0/104}) as the IPv4 range it means: Java
     * reports a peer connected over IPv6 with a mapped address as an IPv4 address.
     */
    private AddressRange mappedToIpv4() {
        if (network.length != 16 || prefix < 96) {
            return this;
        }
        for (int i = 0; i < 10; i++) {
            if (network[i] != 0) {
                return this;
            }
        }
        if (network[10] != (byte) 0xff || network[11] != (byte) 0xff) {
            return this;
        }
        return new AddressRange(Arrays.copyOfRange(network, 12, 16), prefix - 96);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        return rest == 0 || ((a[full] ^ network[full]) & (0xff << (8 - rest)) & 0xff) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.prefix == prefix && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    /** The canonical form: {@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        return text;
    }
}
