package dev.porter.demo;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An embedded Tomcat serving the small demo application of {@link DemoServlet} under
 * {@code /http/}: the backend of {@code porter demo}, and a realistic upstream for other
 * modules' tests (Tomcat is the server the incidents in {@code incidents/} are about).
 *
 * <p>The connector's {@code keepAliveTimeout} and {@code maxKeepAliveRequests} are settable
 * because they are exactly the two ways Tomcat ends a pooled connection under the proxy.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} are called from one controlling thread
 * (a test or {@code main}); requests run on Tomcat's own threads.
 */
public final class DemoBackend implements AutoCloseable {
    private final Tomcat tomcat;
    private final Connector connector;
    private final Path baseDir;
    private boolean closed;

    private DemoBackend(Tomcat tomcat, Connector connector, Path baseDir) {
        this.tomcat = tomcat;
        this.connector = connector;
        this.baseDir = baseDir;
    }

    /**
     * Starts Tomcat on {@code host:port} and returns once it accepts connections.
     *
     * @param port                  0 picks a free port; see {@link #port()}
     * @param keepAliveTimeoutMs    Tomcat's {@code keepAliveTimeout}: how long an idle
     *                              keep-alive connection stays open before Tomcat closes it
     * @param maxKeepAliveRequests  requests on one connection before Tomcat closes it; -1 = unlimited
     * @throws UncheckedIOException when the address cannot be bound (the message names it)
     */
    public static DemoBackend start(String host, int port, int keepAliveTimeoutMs, int maxKeepAliveRequests) {
        Path baseDir;
        try {
            baseDir = Files.createTempDirectory("porter-demo-tomcat");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a base directory for Tomcat", e);
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());

        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(port);
        connector.setProperty("address", host);
        connector.setProperty("keepAliveTimeout", Integer.toString(keepAliveTimeoutMs));
        connector.setProperty("maxKeepAliveRequests", Integer.toString(maxKeepAliveRequests));
        // Without this Tomcat logs a failed bind and carries on without a connector.
        connector.setThrowOnFailure(true);
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", baseDir.toString());
        if (context instanceof StandardContext standard) {
            // These checks hunt leaks of redeployed webapps; an embedded app is never redeployed,
            // and on Java 17 they only warn that they need --add-opens.
            standard.setClearReferencesThreadLocals(false);
            standard.setClearReferencesRmiTargets(false);
        }
        Tomcat.addServlet(context, "demo", new DemoServlet());
        context.addServletMappingDecoded("/http/*", "demo");

        DemoBackend backend = new DemoBackend(tomcat, connector, baseDir);
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            backend.close();
            throw cannotBind(host, port, e);
        }
        if (connector.getState() != LifecycleState.STARTED || connector.getLocalPort() <= 0) {
            backend.close();
            throw cannotBind(host, port, null);
        }
        return backend;
    }

    private static UncheckedIOException cannotBind(String host, int port, Throwable cause) {
        String reason = "connector did not start";
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BindException || t instanceof IOException) {
                reason = t.getMessage();
                break;
            }
        }
        return new UncheckedIOException(new BindException(
                "cannot bind demo backend on " + host + ":" + port + ": " + reason));
    }

    /** The port Tomcat actually listens on (the real one when started with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Tomcat's base directory, a temp directory owned by this backend (for tests). */
    Path baseDir() {
        return baseDir;
    }

    /** Stops Tomcat and deletes its base directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("cannot stop Tomcat", e);
        } finally {
            deleteRecursively(baseDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
