package dev.porter.bench.proxy;

import dev.porter.Porter;
import dev.porter.config.ConfigLoader;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Porter inside the bench's JVM, through proxy-core's API: what the integration test uses,
 * since it needs no built porter.jar and no fixed ports (listener port 0).
 */
public final class InProcessPorter implements RunningProxy {
    private final Porter porter;

    private InProcessPorter(Porter porter) {
        this.porter = porter;
    }

    /**
     * Starts Porter with {@code settings}.
     *
     * @throws UnsupportedOperationException while proxy-core's {@code Porter} is still a stub
     */
    public static InProcessPorter start(PorterSettings settings) {
        return new InProcessPorter(Porter.start(ConfigLoader.parse(PorterConfigWriter.write(settings), "bench")));
    }

    @Override
    public InetSocketAddress address() {
        return porter.listenAddresses().get(0);
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        porter.shutdownGracefully(Duration.ZERO);
    }
}
