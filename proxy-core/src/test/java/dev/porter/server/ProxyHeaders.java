package dev.porter.server;

import io.netty.util.NetUtil;

import java.nio.ByteBuffer;

/**
 * PROXY protocol v2 headers written byte by byte from the specification (section 2.2), so that
 * tests do not depend on the decoder's own encoder.
 */
final class ProxyHeaders {
    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaders() {
    }

    /** v2, PROXY command, TCP over IPv4. */
    static byte[] v2Tcp4(String source, String destination, int sourcePort, int destinationPort) {
        return v2(0x11, source, destination, sourcePort, destinationPort, new byte[0]);
    }

    /** v2, PROXY command, TCP over IPv6. */
    static byte[] v2Tcp6(String source, String destination, int sourcePort, int destinationPort) {
        return v2(0x21, source, destination, sourcePort, destinationPort, new byte[0]);
    }

    /** v2, PROXY command, TCP over IPv4, followed by {@code tlvs}. */
    static byte[] v2Tcp4(String source, String destination, int sourcePort, int destinationPort, byte[] tlvs) {
        return v2(0x11, source, destination, sourcePort, destinationPort, tlvs);
    }

    /** v2, LOCAL command (a balancer's health check): no addresses. */
    static byte[] v2Local() {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.put(SIGNATURE).put((byte) 0x20).put((byte) 0x00).putShort((short) 0);
        return b.array();
    }

    /** A TLV (section 2.2.7): type, two length bytes, value. */
    static byte[] tlv(int type, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(3 + value.length);
        b.put((byte) type).putShort((short) value.length).put(value);
        return b.array();
    }

    private static byte[] v2(int family, String source, String destination, int sourcePort, int destinationPort, byte[] tlvs) {
        byte[] src = NetUtil.createByteArrayFromIpAddressString(source);
        byte[] dst = NetUtil.createByteArrayFromIpAddressString(destination);
        int length = src.length + dst.length + 4 + tlvs.length;
        ByteBuffer b = ByteBuffer.allocate(16 + length);
        b.put(SIGNATURE).put((byte) 0x21).put((byte) family).putShort((short) length)
                .put(src).put(dst).putShort((short) sourcePort).putShort((short) destinationPort).put(tlvs);
        return b.array();
    }
}
