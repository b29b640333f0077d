package dev.porter.bench.scenario;

import dev.porter.bench.proxy.PorterSettings;
import dev.porter.bench.proxy.RunningProxy;

/**
 * Starts Porter for a mode: as porter.jar in a child JVM (the command line) or in-process
 * (the integration test). {@link #listenPort()} and {@link #adminPort()} choose the ports the
 * settings get.
 */
public interface ProxyLauncher {
    RunningProxy launch(PorterSettings settings) throws Exception;

    /** The listener port to configure (0 when the launcher can tell the bound port afterwards). */
    int listenPort();

    /** The admin port to configure, or -1 for no admin listener. */
    int adminPort();
}
