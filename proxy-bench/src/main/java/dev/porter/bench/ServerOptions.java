package dev.porter.bench;

import dev.porter.bench.proxy.Launch;
import dev.porter.bench.proxy.PorterCommand;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Options of the scenarios that compare Porter with its peers (throughput, idle-connections,
 * warmup): which peers, how HAProxy reuses connections, which JVM options Porter's launcher uses, and
 * whether servers and load generator are pinned to separate CPUs.
 */
final class ServerOptions {
    @Option(names = "--peers", split = ",", defaultValue = "nginx,haproxy",
            description = "peer proxies started by the bench next to Porter: nginx, haproxy, twin (a second nginx "
                    + "configured as nginx: throughput reports nginx ÷ twin, what the host's noise alone makes of a "
                    + "ratio), or none (default ${DEFAULT-VALUE}; one not installed is skipped with a line saying so)")
    List<String> peers;

    @Option(names = "--haproxy-reuse", defaultValue = "always",
            description = "HAProxy's http-reuse: always (like Porter and nginx, an idle pooled connection serves a "
                    + "client's first request too), safe (HAProxy's default), aggressive, never (default ${DEFAULT-VALUE})")
    String haproxyReuse;

    @Option(names = "--pin", description = "proxies and origin on one set of CPUs, the load generator on another "
            + "(taskset; default split: first half / second half of the CPUs)")
    boolean pin;

    @Option(names = "--server-cpus", description = "with --pin: taskset CPU list for proxies and origin, e.g. 0")
    String serverCpus;

    @Option(names = "--load-cpus", description = "with --pin: taskset CPU list for the load generator, e.g. 1")
    String loadCpus;

    @Option(names = "--porter-jvm-options", description = "the JVM options file bin/porter reads for Porter "
            + "(PORTER_JVM_OPTIONS; default conf/jvm.options, what operators run)")
    Path porterJvmOptions;

    @Option(names = "--porter-jvm-flags", description = "JVM options appended to the file's, space-separated "
            + "(PORTER_JAVA_OPTS), e.g. \"-Xlog:gc -XX:CompileThresholdScaling=0.5\"")
    String porterJvmFlags;

    List<String> peers() {
        return peers.stream().map(String::strip).filter(p -> !p.isEmpty() && !p.equals("none")).toList();
    }

    Launch launch() {
        if (!pin) {
            return Launch.unpinned();
        }
        Launch split = Launch.split(Runtime.getRuntime().availableProcessors());
        return new Launch(serverCpus != null ? serverCpus : split.serverCpus(),
                loadCpus != null ? loadCpus : split.loadCpus(), Launch.DEFAULT_NOFILE);
    }

    List<String> jvmFlags() {
        return porterJvmFlags == null ? List.of()
                : Arrays.stream(porterJvmFlags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /** How to start Porter with these options, or null after saying what is missing (exit 2). */
    PorterCommand porter(CommonOptions common) {
        return common.requirePorter(porterJvmOptions, jvmFlags());
    }
}
