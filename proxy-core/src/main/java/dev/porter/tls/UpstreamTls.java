package dev.porter.tls;

import dev.porter.config.ProxyConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.config.UpstreamTlsConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * TLS to one upstream group's servers: one client {@link SslContext} for the group, shared by
 * every worker (it is thread-safe, and its session cache is then shared too), and an
 * {@link SslHandler} per connection made with the server's name and port, which gives it SNI,
 * the name to verify, and the key under which the session is cached: a new connection to the
 * same server resumes the session instead of a full handshake.
 *
 * <p>Immutable; built off the event loops when a configuration is started or reloaded.
 */
public final class UpstreamTls {
    private final UpstreamTlsConfig config;
    private final SslContext context;
    private final long handshakeTimeoutMillis;

    private UpstreamTls(UpstreamTlsConfig config, SslContext context, long handshakeTimeoutMillis) {
        this.config = config;
        this.context = context;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /**
     * The TLS of every group that has it on, by group name. A group whose TLS settings equal
     * its entry in {@code previous} keeps that entry, and with it its cached sessions.
     *
     * @param provider asked only when a group needs a new context: finding out which TLS
     *                 implementation to use loads it, which a configuration without TLS must not
     * @throws SSLException when the TLS implementation refuses a group's settings
     */
    public static Map<String, UpstreamTls> forGroups(ProxyConfig config, Supplier<SslProvider> provider,
                                                     Map<String, UpstreamTls> previous) throws SSLException {
        Map<String, UpstreamTls> out = new LinkedHashMap<>();
        for (UpstreamConfig group : config.upstreams().values()) {
            if (!group.tls().enabled()) {
                continue;
            }
            UpstreamTls old = previous.get(group.name());
            long timeout = group.connectTimeout().toMillis();
            if (old != null && old.config.equals(group.tls()) && old.handshakeTimeoutMillis == timeout) {
                out.put(group.name(), old);
            } else {
                out.put(group.name(), build(group, provider.get()));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    static UpstreamTls build(UpstreamConfig group, SslProvider provider) throws SSLException {
        UpstreamTlsConfig c = group.tls();
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols(c.protocols())
                .applicationProtocolConfig(ServerTls.ALPN_HTTP_1_1);
        if (c.verify()) {
            if (!c.trustedCertificates().isEmpty()) {
                b.trustManager(c.trustedCertificates());
            }
            // RFC 6125 name checks, as a browser does (nginx: proxy_ssl_verify on).
            b.endpointIdentificationAlgorithm("HTTPS");
        } else {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        }
        try {
            return new UpstreamTls(c, b.build(), group.connectTimeout().toMillis());
        } catch (SSLException | RuntimeException e) {
            throw new SSLException("upstream " + group.name() + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * A new connection's handler. Its handshake must complete within the group's
     * {@code connect-timeout}, as nginx counts the upstream SSL handshake in proxy_connect_timeout.
     */
    public SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress server) {
        String name = config.serverName().isEmpty() ? server.getHostString() : config.serverName();
        SslHandler handler = context.newHandler(alloc, name, server.getPort());
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }
}
