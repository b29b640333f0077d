package dev.porter.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar porter-bench.jar <scenario> [options]}: reproduces Porter's two incidents
 * (port exhaustion, Tomcat TIME_WAIT) and measures Porter against a direct connection, nginx
 * and HAProxy: throughput and CPU per request, memory per idle connection, warm-up from a cold start. Traffic goes only to loopback or to namespaces the bench creates; every process
 * and namespace it makes is gone when it exits, Ctrl-C included.
 */
@Command(name = "porter-bench", mixinStandardHelpOptions = true, version = "porter-bench 0.1",
        subcommands = {PortExhaustionCommand.class, TomcatTimewaitCommand.class, ThroughputCommand.class,
                IdleConnectionsCommand.class, WarmupCommand.class, MicroCommand.class, NsModeCommand.class,
                OriginCommand.class},
        description = "Porter's benchmark: port-exhaustion, tomcat-timewait, throughput, idle-connections, warmup, micro.")
public final class BenchMain implements Runnable {
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code = new CommandLine(new BenchMain()).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
