package dev.porter.pki;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files as operators have them: a certificate chain ({@code fullchain.pem}, leaf
 * first), and a private key in PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code openssl req
 * -newkey} writes), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, older openssl and many ACME
 * clients) or SEC1 ({@code BEGIN EC PRIVATE KEY}, {@code openssl ecparam -genkey}).
 *
 * <p>The JDK reads only PKCS#8, so PKCS#1 and SEC1 keys are wrapped into a PKCS#8 structure
 * (RFC 5208) first: a few bytes of DER around the key, which is left as it is. Encrypted keys
 * are refused: Porter has nowhere to get a passphrase from (nginx asks on a terminal).
 * Blocking file I/O: called while a configuration loads, never on an event loop.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, as an AlgorithmIdentifier. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** id-ecPublicKey (1.2.840.10045.2.1), to be followed by the curve's OID. */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

    private Pem() {
    }

    /** Every certificate in {@code file}, in file order (for a chain: the server's own first). */
    public static List<X509Certificate> readCertificates(Path file) throws TlsMaterialException {
        String text = read(file);
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 support", e);
        }
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                continue;
            }
            byte[] der = decode(file, m.group(2), "certificate " + (out.size() + 1));
            try {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new TlsMaterialException(file + ": certificate " + (out.size() + 1) + " is not a valid X.509 certificate ("
                        + e.getMessage() + ")", e);
            }
        }
        if (out.isEmpty()) {
            throw new TlsMaterialException(file + ": no certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(out);
    }

    /** The first private key in {@code file}. */
    public static PrivateKey readPrivateKey(Path file) throws TlsMaterialException {
        String text = read(file);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String label = m.group(1);
            if (!label.endsWith("PRIVATE KEY")) {
                continue;
            }
            if (label.equals("ENCRYPTED PRIVATE KEY") || m.group(2).contains("ENCRYPTED")) {
                throw new TlsMaterialException(file + ": the private key is encrypted; Porter needs it unencrypted"
                        + " (openssl pkey -in " + file.getFileName() + " -out key.pem)");
            }
            byte[] der = decode(file, m.group(2), "the private key");
            byte[] pkcs8 = switch (label) {
                case "PRIVATE KEY" -> der;
                case "RSA PRIVATE KEY" -> pkcs8(RSA_ALGORITHM, der);
                case "EC PRIVATE KEY" -> pkcs8(ecAlgorithm(file, der), der);
                default -> throw new TlsMaterialException(file + ": unsupported key type \"" + label
                        + "\" (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
            };
            return privateKey(file, pkcs8);
        }
        throw new TlsMaterialException(file + ": no private key in it (expected -----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey privateKey(Path file, byte[] pkcs8) throws TlsMaterialException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        // The algorithm is inside the DER; trying the few that TLS servers use is simpler than
        // parsing it and gives the JDK's own validation.
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm
            }
        }
        throw new TlsMaterialException(file + ": the private key cannot be read (not an RSA, EC or EdDSA key, or damaged)");
    }

    private static String read(Path file) throws TlsMaterialException {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new TlsMaterialException(file + ": cannot be read (permission denied)");
        } catch (IOException e) {
            throw new TlsMaterialException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] decode(Path file, String body, String what) throws TlsMaterialException {
        StringBuilder base64 = new StringBuilder(body.length());
        for (String line : body.split("\r?\n")) {
            // RFC 1421 headers (Proc-Type, DEK-Info) precede the data; they carry a colon.
            if (line.indexOf(':') < 0) {
                base64.append(line.trim());
            }
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new TlsMaterialException(file + ": " + what + " is not valid base64 (" + e.getMessage() + ")");
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, algorithm AlgorithmIdentifier, privateKey OCTET STRING }. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.writeBytes(tlv(0x04, key));
        return tlv(0x30, body.toByteArray());
    }

    /**
     * The AlgorithmIdentifier of a SEC1 key (RFC 5915): id-ecPublicKey and the named curve found
     * in the key's own {@code [0] parameters}.
     */
    private static byte[] ecAlgorithm(Path file, byte[] sec1) throws TlsMaterialException {
        try {
            Der seq = new Der(sec1, 0);
            int p = seq.contentStart;
            while (p < seq.end) {
                Der element = new Der(sec1, p);
                if ((sec1[p] & 0xff) == 0xa0) {
                    Der oid = new Der(sec1, element.contentStart);
                    byte[] curve = java.util.Arrays.copyOfRange(sec1, element.contentStart, oid.end);
                    byte[] both = new byte[EC_PUBLIC_KEY_OID.length + curve.length];
                    System.arraycopy(EC_PUBLIC_KEY_OID, 0, both, 0, EC_PUBLIC_KEY_OID.length);
                    System.arraycopy(curve, 0, both, EC_PUBLIC_KEY_OID.length, curve.length);
                    return tlv(0x30, both);
                }
                p = element.end;
            }
        } catch (IndexOutOfBoundsException e) {
            throw new TlsMaterialException(file + ": the EC private key is damaged");
        }
        throw new TlsMaterialException(file + ": the EC private key does not name its curve");
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** One DER element's bounds: where its content starts and where it ends. */
    private static final class Der {
        final int contentStart;
        final int end;

        Der(byte[] b, int at) {
            int len = b[at + 1] & 0xff;
            int p = at + 2;
            if (len >= 0x80) {
                int bytes = len & 0x7f;
                len = 0;
                for (int i = 0; i < bytes; i++) {
                    len = (len << 8) | (b[p++] & 0xff);
                }
            }
            contentStart = p;
            end = p + len;
            if (end > b.length) {
                throw new IndexOutOfBoundsException("DER element runs past the end");
            }
        }
    }
}
