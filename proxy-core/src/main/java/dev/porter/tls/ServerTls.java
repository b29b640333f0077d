package dev.porter.tls;

import dev.porter.config.ListenerTlsConfig;
import dev.porter.config.ServerCertificate;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;

import javax.net.ssl.SSLException;

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
        try {
            return SslContextBuilder.forServer(c.key().key(), c.key().chain())
                    .sslProvider(provider)
                    .protocols(config.protocols())
                    .ciphers(config.ciphers(), SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(ALPN_HTTP_1_1)
                    .sessionTimeout(config.sessionTimeout().toSeconds())
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new SSLException("cannot use " + c.key() + ": " + e.getMessage(), e);
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
