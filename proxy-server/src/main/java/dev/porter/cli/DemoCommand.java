package dev.porter.cli;

import dev.porter.config.ProxyConfig;
import dev.porter.config.RouteConfig;
import dev.porter.config.ServerConfig;
import dev.porter.config.UpstreamConfig;
import dev.porter.demo.DemoBackend;
import dev.porter.observe.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code porter demo --config FILE}: starts the demo backend (an embedded Tomcat, see
 * {@link DemoBackend}) where the configuration expects its upstream, then runs Porter as
 * {@code run} does, so that {@code curl http://127.0.0.1:8000/http/hello} works out of the box.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded Tomcat on the first upstream server's address, then run Porter in front of it.")
final class DemoCommand implements Callable<Integer> {
    private static final Logger logger = LoggerFactory.getLogger(DemoCommand.class);

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    // Tomcat's own defaults: the demo shows Porter against an untuned Tomcat.
    @Option(names = "--backend-keepalive-timeout-ms", defaultValue = "20000", paramLabel = "MS",
            description = "Tomcat keepAliveTimeout in ms (default: ${DEFAULT-VALUE})")
    int keepAliveTimeoutMs;

    @Option(names = "--backend-max-keepalive-requests", defaultValue = "100", paramLabel = "N",
            description = "Tomcat maxKeepAliveRequests, -1 = unlimited (default: ${DEFAULT-VALUE})")
    int maxKeepAliveRequests;

    @Override
    public Integer call() throws InterruptedException {
        options.applyLogLevel();
        ProxyConfig config = options.loadOrReport(spec.commandLine().getErr());
        if (config == null) {
            return ExitCodes.INVALID_CONFIG;
        }
        InetSocketAddress at = backendAddress(config);
        DemoBackend backend;
        try {
            backend = DemoBackend.start(at.getHostString(), at.getPort(), keepAliveTimeoutMs, maxKeepAliveRequests);
        } catch (RuntimeException e) {
            return options.reportStartupFailure(spec.commandLine().getErr(),
                    new StartupException("cannot start the demo backend", e));
        }
        logger.info("demo backend (Tomcat) on {}:{}; try: curl -v http://{}/http/hello",
                at.getHostString(), backend.port(), Addresses.hostPort(config.listeners().get(0).address()));
        return RunCommand.runUntilStopped(options, spec, config, List.of(backend));
    }

    /**
     * The first server of the upstream the first route sends to. The route list keeps the
     * file's order; {@code ProxyConfig.upstreams()} does not, so "first upstream" is taken
     * through the routes. A valid config always has a route naming a known upstream.
     */
    static InetSocketAddress backendAddress(ProxyConfig config) {
        UpstreamConfig upstream = config.routes().stream()
                .map(RouteConfig::upstream)
                .filter(config.upstreams()::containsKey)
                .map(config.upstreams()::get)
                .findFirst()
                .orElseGet(() -> config.upstreams().values().iterator().next());
        ServerConfig first = upstream.servers().get(0);
        return first.address();
    }
}
