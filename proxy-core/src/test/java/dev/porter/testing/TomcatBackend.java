package dev.porter.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Tomcat for tests, on 127.0.0.1 and a port the OS picks, with small servlets:
 * {@code /hello}, {@code /echo} (streams the body back), {@code /bytes?n=N}, {@code /headers}
 * (the request's headers, one per line), {@code /status?code=N}, {@code /slow?ms=N}.
 * It records the remote port of every request, so a test can count the connections Porter
 * opened toward it.
 */
public final class TomcatBackend implements AutoCloseable {
    private final Tomcat tomcat;
    private final Connector connector;
    private final Path baseDir;
    private final Set<Integer> remotePorts = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();

    private TomcatBackend(int keepAliveTimeoutMs, int maxKeepAliveRequests) throws IOException, LifecycleException {
        baseDir = Files.createTempDirectory("porter-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("keepAliveTimeout", Integer.toString(keepAliveTimeoutMs));
        connector.setProperty("maxKeepAliveRequests", Integer.toString(maxKeepAliveRequests));
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", baseDir.toString());
        Tomcat.addServlet(ctx, "app", new App());
        ctx.addServletMappingDecoded("/*", "app");
        tomcat.start();
    }

    public static TomcatBackend start(int keepAliveTimeoutMs, int maxKeepAliveRequests) {
        try {
            return new TomcatBackend(keepAliveTimeoutMs, maxKeepAliveRequests);
        } catch (IOException | LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tomcat's shipped defaults: keepAliveTimeout 20 s (via connectionTimeout), 100 requests. */
    public static TomcatBackend start() {
        return start(20_000, 100);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Distinct client ports seen: one per TCP connection opened to Tomcat. */
    public int connectionsSeen() {
        return remotePorts.size();
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class App extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            remotePorts.add(req.getRemotePort());
            requests.incrementAndGet();
            String path = req.getRequestURI();
            switch (path) {
                case "/hello" -> text(resp, "hello from tomcat\n");
                case "/echo" -> {
                    resp.setContentType(req.getContentType() != null ? req.getContentType() : "application/octet-stream");
                    try (InputStream in = req.getInputStream(); OutputStream out = resp.getOutputStream()) {
                        in.transferTo(out);
                    }
                }
                case "/bytes" -> {
                    long n = Long.parseLong(req.getParameter("n"));
                    resp.setContentType("application/octet-stream");
                    if (req.getParameter("length") != null) {
                        resp.setContentLengthLong(n);
                    }
                    byte[] block = new byte[8192];
                    OutputStream out = resp.getOutputStream();
                    for (long left = n; left > 0; left -= block.length) {
                        out.write(block, 0, (int) Math.min(block.length, left));
                    }
                }
                case "/headers" -> {
                    StringBuilder sb = new StringBuilder();
                    for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements(); ) {
                        String name = names.nextElement();
                        for (String v : Collections.list(req.getHeaders(name))) {
                            sb.append(name.toLowerCase()).append(": ").append(v).append('\n');
                        }
                    }
                    sb.append("protocol: ").append(req.getProtocol()).append('\n');
                    sb.append("uri: ").append(req.getRequestURI())
                            .append(req.getQueryString() != null ? "?" + req.getQueryString() : "").append('\n');
                    text(resp, sb.toString());
                }
                case "/status" -> {
                    resp.setStatus(Integer.parseInt(req.getParameter("code")));
                    if (req.getParameter("body") != null) {
                        text(resp, req.getParameter("body"));
                    }
                }
                case "/slow" -> {
                    try {
                        Thread.sleep(Long.parseLong(req.getParameter("ms")));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    text(resp, "slow\n");
                }
                default -> {
                    resp.setStatus(404);
                    text(resp, "no such path\n");
                }
            }
        }

        private void text(HttpServletResponse resp, String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            resp.setContentType("text/plain;charset=UTF-8");
            resp.setContentLength(b.length);
            resp.getOutputStream().write(b);
        }
    }
}
