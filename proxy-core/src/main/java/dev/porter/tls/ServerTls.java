package dev.porter.tls;

import dev.porter.config.ListenerTlsConfig;
import dev.porter.config.ServerCertificate;
import io.netty.channel.ChannelHandler;
import dev.porter.pki.CertifiedKey;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSslCredential;
import io.netty.handler.ssl.OpenSslCredentialBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * One listener's TLS as it stands: an {@link SslContext} per certificate, the SNI mapping
 * between them, and the handshake timeout. Immutable and shared by every worker
 * ({@link SslContext} is thread-safe); a reload builds a new one and {@link ListenerTls}
 * swaps it in, while connections keep the one they were accepted with.
 */
public final class ServerTls {
    /**
     * ALPN: offer http/1.1, the one protocol Porter speaks. A client offering only others (h2)
     * gets no ALPN answer and proceeds, as with a server that knows no ALPN.
     */
    static final ApplicationProtocolConfig ALPN_HTTP_1_1 = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);

    private static final char[] NO_PASSWORD = new char[0];

    private final Mapping<String, SslContext> sni;
    private final long handshakeTimeoutNanos;
    private final SslProvider provider;

    private ServerTls(Mapping<String, SslContext> sni, long handshakeTimeoutNanos, SslProvider provider) {
        this.sni = sni;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
        this.provider = provider;
    }

    /**
     * Builds the contexts: CPU work and no I/O (the files were read with the configuration),
     * but not for an event loop either.
     *
     * @throws SSLException when the TLS implementation refuses the settings or a key
     */
    public static ServerTls build(ListenerTlsConfig config, SslProvider provider) throws SSLException {
        SslContext fallback = null;
        DomainWildcardMappingBuilder<SslContext> names = null;
        for (ServerCertificate c : config.certificates()) {
            SslContext context = context(c, config, provider);
            if (fallback == null) {
                fallback = context;
                names = new DomainWildcardMappingBuilder<>(fallback);
            }
            for (String name : c.serverNames()) {
                names.add(name, context);
            }
        }
        if (names == null) {
            throw new SSLException("no certificate");
        }
        return new ServerTls(names.build(), config.handshakeTimeout().toNanos(), provider);
    }

    private static SslContext context(ServerCertificate c, ListenerTlsConfig config, SslProvider provider)
            throws SSLException {
        List<OpenSslCredential> credentials = new ArrayList<>();
        try {
            return withKeys(c.keys(), provider, credentials)
                    .sslProvider(provider)
                    .protocols(config.protocols())
                    .ciphers(config.ciphers(), SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(ALPN_HTTP_1_1)
                    .sessionTimeout(config.sessionTimeout().toSeconds())
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new SSLException("cannot use " + c.keys() + ": " + e.getMessage(), e);
        } finally {
            credentials.forEach(OpenSslCredential::release); // the context holds its own references
        }
    }

    /**
     * A builder holding one name's certificates. With several (one per key type), BoringSSL
     * gets each as a credential, in the operator's order, and serves the first one the client
     * can verify (its signature algorithms, and in TLS 1.2 its cipher suites); the key handed
     * to {@code forServer} comes after them and is never reached. The JDK picks from a key
     * manager by key type, in the client's order of preference: where OpenSSL does not load,
     * the operator's order is a wish.
     */
    private static SslContextBuilder withKeys(List<CertifiedKey> keys, SslProvider provider,
            List<OpenSslCredential> credentials) throws SSLException {
        CertifiedKey first = keys.get(0);
        if (keys.size() == 1) {
            return SslContextBuilder.forServer(first.key(), first.chain());
        }
        if (provider != SslProvider.JDK) { // an OpenSSL without credentials refuses, saying so
            SslContextBuilder builder = SslContextBuilder.forServer(first.key(), first.chain());
            for (CertifiedKey k : keys) {
                credentials.add(OpenSslCredentialBuilder.forX509(k.key(), k.chain().toArray(X509Certificate[]::new)).build());
            }
            builder.addCredentials(credentials);
            return builder;
        }
        return SslContextBuilder.forServer(keyManager(keys));
    }

    private static KeyManagerFactory keyManager(List<CertifiedKey> keys) throws SSLException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < keys.size(); i++) {
                store.setKeyEntry("key" + i, keys.get(i).key(), NO_PASSWORD, keys.get(i).chain().toArray(X509Certificate[]::new));
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, NO_PASSWORD);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new SSLException("cannot hold the certificates in a key store: " + e.getMessage(), e);
        }
    }

    /** The context for a name the client asked for (SNI); the default one for null or no match. */
    public SslContext select(String serverName) {
        return sni.map(serverName);
    }

    public SslProvider provider() {
        return provider;
    }

    /** First in a new connection's pipeline: answers plain HTTP with 400, else becomes its SslHandler. */
    ChannelHandler newClientHandler() {
        return new ClientTlsHandler(sni);
    }

    /** How long a client has from accept to complete its handshake. */
    long handshakeTimeoutNanos() {
        return handshakeTimeoutNanos;
    }
}
