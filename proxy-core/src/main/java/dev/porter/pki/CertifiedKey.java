package dev.porter.pki;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A server's certificate chain with the private key that belongs to its first certificate,
 * checked to match when built. Immutable; equal when both the chain and the key are equal, so
 * that a reload can tell whether a listener's certificates changed. Its {@link #toString()}
 * names the certificate and files, never the key.
 */
public final class CertifiedKey {
    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final String source;

    private CertifiedKey(List<X509Certificate> chain, PrivateKey key, String source) {
        this.chain = List.copyOf(chain);
        this.key = Objects.requireNonNull(key, "key");
        this.source = source;
    }

    /**
     * Pairs a chain read from {@code certificateFile} with a key read from {@code keyFile}.
     *
     * @throws TlsMaterialException when the key does not belong to the chain's first certificate
     */
    public static CertifiedKey of(List<X509Certificate> chain, Path certificateFile, PrivateKey key, Path keyFile)
            throws TlsMaterialException {
        if (!matches(key, chain.get(0).getPublicKey())) {
            for (int i = 1; i < chain.size(); i++) {
                if (matches(key, chain.get(i).getPublicKey())) {
                    throw new TlsMaterialException(keyFile + " belongs to certificate " + (i + 1) + " of " + certificateFile
                            + ", but the server's own certificate must come first in the file");
                }
            }
            throw new TlsMaterialException(keyFile + " does not match the certificate in " + certificateFile + " ("
                    + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        return new CertifiedKey(chain, key, certificateFile + ", " + keyFile);
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    public PrivateKey key() {
        return key;
    }

    /** The server's own certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /**
     * Whether {@code key} is the private half of {@code pub}: RSA keys share their modulus;
     * for other key types a signature made with one must verify with the other.
     */
    static boolean matches(PrivateKey key, PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && pub.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        if (key instanceof RSAPrivateKey rsa && pub instanceof RSAPublicKey rsaPub) {
            return rsa.getModulus().equals(rsaPub.getModulus());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> null;
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        if (algorithm == null) {
            return true; // no cheap check; the handshake will tell
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertifiedKey other && chain.equals(other.chain)
                && Arrays.equals(key.getEncoded(), other.key.getEncoded());
    }

    @Override
    public int hashCode() {
        return chain.hashCode();
    }

    @Override
    public String toString() {
        return leaf().getSubjectX500Principal().getName() + " (" + source + ")";
    }
}
