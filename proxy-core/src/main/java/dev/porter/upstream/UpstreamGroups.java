package dev.porter.upstream;

import dev.porter.transport.Transport;
import dev.porter.config.ProxyConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.pki.TlsProvider;
import dev.porter.tls.UpstreamTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;

import javax.net.ssl.SSLException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every upstream group of one worker, each with a pool per server. Built once per worker
 * (and per configuration) at startup; connections are made on the worker's own event loop,
 * as in Netty's HexDumpProxy, so a client connection and its upstream connection never
 * cross threads.
 */
public final class UpstreamGroups {
    private final Map<String, UpstreamGroup> groups;

    private UpstreamGroups(Map<String, UpstreamGroup> groups) {
        this.groups = groups;
    }

    /**
     * @param servers the servers' state shared by all workers, built once for {@code config}
     * @param tls     the TLS of each group that speaks TLS, by name, shared by all workers
     */
    public static UpstreamGroups create(EventLoop loop, int worker, ProxyConfig config, UpstreamServers servers,
                                        Transport transport, Map<String, UpstreamTls> tls) {
        Map<String, UpstreamGroup> groups = new LinkedHashMap<>();
        for (UpstreamConfig group : config.upstreams().values()) {
            if (group.tls().enabled() && !tls.containsKey(group.name())) {
                throw new IllegalArgumentException("upstream " + group.name() + " speaks TLS but has no TLS context");
            }
            List<KeepalivePool> pools = new ArrayList<>();
            for (UpstreamServer server : servers.of(group.name())) {
                // TCP_NODELAY is the channel's own default (TransportDefaultsTest): setting it
                // here again would cost a setsockopt per upstream connection.
                Bootstrap bootstrap = new Bootstrap()
                        .group(loop)
                        .channel(transport.socketChannel())
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, group.connectTimeout().toMillis()))
                        .option(ChannelOption.SO_KEEPALIVE, true)
                        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, config.writeBuffer())
                        .handler(new UpstreamChannelInitializer(tls.get(group.name()), server.config().address()));
                if (!server.sourceAddresses().isEmpty()) {
                    transport.bindAddressNoPort(bootstrap);
                }
                pools.add(new KeepalivePool(loop, worker, group, server, bootstrap));
            }
            groups.put(group.name(), new UpstreamGroup(group, pools));
        }
        return new UpstreamGroups(java.util.Collections.unmodifiableMap(groups));
    }

    public UpstreamGroup get(String name) {
        return groups.get(name);
    }

    public Map<String, UpstreamGroup> all() {
        return groups;
    }
}
