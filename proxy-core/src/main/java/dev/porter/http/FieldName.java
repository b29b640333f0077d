package dev.porter.http;

import io.netty.buffer.ByteBuf;

/**
 * The field names Porter acts on, recognised from a field line's bytes without making a String
 * of them: each field of a head is classified once, when it is parsed, and every later decision
 * (is it hop-by-hop, is it replaced by a forwarding header, is it the Host) reads the class.
 *
 * <p>Stateless; safe from any thread.
 */
final class FieldName {
    static final byte OTHER = 0;
    static final byte HOST = 1;
    static final byte CONTENT_LENGTH = 2;
    static final byte TRANSFER_ENCODING = 3;
    static final byte CONNECTION = 4;
    static final byte KEEP_ALIVE = 5;
    static final byte PROXY_CONNECTION = 6;
    static final byte TE = 7;
    static final byte TRAILER = 8;
    static final byte UPGRADE = 9;
    static final byte X_FORWARDED_FOR = 10;
    static final byte X_REAL_IP = 11;
    static final byte X_FORWARDED_PROTO = 12;
    static final byte X_FORWARDED_HOST = 13;
    static final byte REFERER = 14;
    static final byte USER_AGENT = 15;

    private static final byte[][] NAMES = new byte[16][];

    static {
        NAMES[HOST] = ascii("host");
        NAMES[CONTENT_LENGTH] = ascii("content-length");
        NAMES[TRANSFER_ENCODING] = ascii("transfer-encoding");
        NAMES[CONNECTION] = ascii("connection");
        NAMES[KEEP_ALIVE] = ascii("keep-alive");
        NAMES[PROXY_CONNECTION] = ascii("proxy-connection");
        NAMES[TE] = ascii("te");
        NAMES[TRAILER] = ascii("trailer");
        NAMES[UPGRADE] = ascii("upgrade");
        NAMES[X_FORWARDED_FOR] = ascii("x-forwarded-for");
        NAMES[X_REAL_IP] = ascii("x-real-ip");
        NAMES[X_FORWARDED_PROTO] = ascii("x-forwarded-proto");
        NAMES[X_FORWARDED_HOST] = ascii("x-forwarded-host");
        NAMES[REFERER] = ascii("referer");
        NAMES[USER_AGENT] = ascii("user-agent");
    }

    private FieldName() {
    }

    /** Whether a field of this class describes one connection and never crosses the proxy (RFC 9110 §7.6.1). */
    static boolean hopByHop(byte kind) {
        return kind >= CONNECTION && kind <= UPGRADE || kind == TRANSFER_ENCODING;
    }

    /** The class of the field name at {@code in[offset, offset + length)}, which is a valid token. */
    static byte classify(ByteBuf in, int offset, int length) {
        return switch (length) {
            case 2 -> match(in, offset, TE);
            case 4 -> match(in, offset, HOST);
            case 7 -> first(in, offset) == 't' ? match(in, offset, TRAILER)
                    : first(in, offset) == 'u' ? match(in, offset, UPGRADE) : match(in, offset, REFERER);
            case 9 -> match(in, offset, X_REAL_IP);
            case 10 -> first(in, offset) == 'c' ? match(in, offset, CONNECTION)
                    : first(in, offset) == 'k' ? match(in, offset, KEEP_ALIVE) : match(in, offset, USER_AGENT);
            case 14 -> match(in, offset, CONTENT_LENGTH);
            case 15 -> match(in, offset, X_FORWARDED_FOR);
            case 16 -> first(in, offset) == 'p' ? match(in, offset, PROXY_CONNECTION) : match(in, offset, X_FORWARDED_HOST);
            case 17 -> first(in, offset) == 't' ? match(in, offset, TRANSFER_ENCODING) : match(in, offset, X_FORWARDED_PROTO);
            default -> OTHER;
        };
    }

    /** Whether the field name at {@code in[offset, offset + length)} is {@code name} (lower case), ignoring case. */
    static boolean is(ByteBuf in, int offset, int length, String name) {
        if (length != name.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (lower(in.getByte(offset + i)) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int first(ByteBuf in, int offset) {
        return lower(in.getByte(offset));
    }

    private static byte match(ByteBuf in, int offset, byte kind) {
        byte[] name = NAMES[kind];
        for (int i = 0; i < name.length; i++) {
            if (lower(in.getByte(offset + i)) != name[i]) {
                return OTHER;
            }
        }
        return kind;
    }

    static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
