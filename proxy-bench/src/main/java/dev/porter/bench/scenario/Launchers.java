package dev.porter.bench.scenario;

import dev.porter.bench.proxy.InProcessPorter;
import dev.porter.bench.proxy.Launch;
import dev.porter.bench.proxy.PorterCommand;
import dev.porter.bench.proxy.PorterProcess;
import dev.porter.bench.proxy.PorterSettings;
import dev.porter.bench.proxy.RunningProxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/** The two ways of starting Porter. */
public final class Launchers {
    private Launchers() {
    }

    /**
     * Porter as a child process started by {@code command} (bin/porter), registered with
     * {@code cleanup}, each launched as a server of {@code launch}. {@code listenPort}/{@code adminPort}
     * 0 = pick a free loopback port per launch.
     */
    public static ProxyLauncher process(PorterCommand command, Cleanup cleanup, int listenPort, int adminPort,
            Launch launch) {
        return new ProxyLauncher() {
            @Override
            public RunningProxy launch(PorterSettings settings) throws Exception {
                // the dir (config, log) belongs to the PorterProcess: deleted when it is stopped
                Path dir = Files.createTempDirectory("porter-bench-porter");
                AtomicReference<AutoCloseable> starting = new AtomicReference<>();
                AutoCloseable pending = cleanup.register(() -> {
                    AutoCloseable s = starting.get();
                    if (s != null) {
                        s.close();
                    }
                });
                try {
                    return cleanup.register(PorterProcess.start(command, settings, dir, starting::set, launch));
                } finally {
                    cleanup.forget(pending);
                }
            }

            @Override
            public int listenPort() {
                return listenPort != 0 ? listenPort : Ports.free();
            }

            @Override
            public int adminPort() {
                return adminPort != 0 ? adminPort : Ports.free();
            }
        };
    }

    /** Porter in this JVM through proxy-core's API, on port 0, without admin listener. */
    public static ProxyLauncher inProcess(Cleanup cleanup) {
        return new ProxyLauncher() {
            @Override
            public RunningProxy launch(PorterSettings settings) {
                return cleanup.register(InProcessPorter.start(settings));
            }

            @Override
            public int listenPort() {
                return 0;
            }

            @Override
            public int adminPort() {
                return -1;
            }
        };
    }
}
