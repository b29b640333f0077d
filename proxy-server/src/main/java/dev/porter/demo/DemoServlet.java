package dev.porter.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

/**
 * The demo application behind {@link DemoBackend}, mapped to {@code /http/*}:
 * <ul>
 *   <li>{@code GET /http/hello}: {@code "hello from tomcat\n"}, text/plain</li>
 *   <li>{@code /http/echo} (any method): the request body streamed back with its Content-Type</li>
 *   <li>{@code /http/bytes?n=N}: N bytes, chunked, written 8 KiB at a time</li>
 *   <li>{@code /http/slow?ms=N}: answers after N milliseconds</li>
 *   <li>{@code /http/status?code=N}: answers with status N</li>
 *   <li>{@code /http/headers}: the request headers as received, one {@code name: value} per line</li>
 * </ul>
 *
 * <p>Stateless; Tomcat calls it from many request threads at once.
 */
final class DemoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 8 * 1024;
    private static final long MAX_SLEEP_MS = 600_000;
    /** What /http/bytes writes, repeated: letters, so a human can read a dump of it. */
    private static final byte[] PATTERN = pattern();

    private static byte[] pattern() {
        byte[] b = new byte[CHUNK];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        switch (path) {
            case "/hello" -> {
                if (onlyGet(req, resp)) {
                    text(resp, HttpServletResponse.SC_OK, "hello from tomcat\n");
                }
            }
            case "/echo" -> echo(req, resp);
            case "/bytes" -> {
                if (onlyGet(req, resp)) {
                    bytes(req, resp);
                }
            }
            case "/slow" -> slow(req, resp);
            case "/status" -> status(req, resp);
            case "/headers" -> headers(req, resp);
            default -> text(resp, HttpServletResponse.SC_NOT_FOUND, "no such demo endpoint: " + path + "\n");
        }
    }

    private static boolean onlyGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if ("GET".equals(req.getMethod()) || "HEAD".equals(req.getMethod())) {
            return true;
        }
        resp.setHeader("Allow", "GET, HEAD");
        text(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method not allowed\n");
        return false;
    }

    private static void echo(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(HttpServletResponse.SC_OK);
        if (req.getContentType() != null) {
            resp.setContentType(req.getContentType());
        }
        // Copy as it arrives instead of buffering, so a proxy's request streaming shows.
        try (InputStream in = req.getInputStream(); OutputStream out = resp.getOutputStream()) {
            in.transferTo(out);
        }
    }

    private static void bytes(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long n = longParam(req, "n", 0, Long.MAX_VALUE);
        if (n < 0) {
            text(resp, HttpServletResponse.SC_BAD_REQUEST, "n must be a number of bytes >= 0\n");
            return;
        }
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("application/octet-stream");
        // No Content-Length on purpose: the response goes out chunked, as a streaming app's would.
        OutputStream out = resp.getOutputStream();
        for (long left = n; left > 0; left -= CHUNK) {
            out.write(PATTERN, 0, (int) Math.min(CHUNK, left));
        }
        out.close();
    }

    private static void slow(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long ms = longParam(req, "ms", 0, MAX_SLEEP_MS);
        if (ms < 0) {
            text(resp, HttpServletResponse.SC_BAD_REQUEST, "ms must be 0.." + MAX_SLEEP_MS + "\n");
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            text(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "interrupted\n");
            return;
        }
        text(resp, HttpServletResponse.SC_OK, "slept " + ms + " ms\n");
    }

    private static void status(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long code = longParam(req, "code", 200, 599);
        if (code < 0) {
            text(resp, HttpServletResponse.SC_BAD_REQUEST, "code must be 200..599\n");
            return;
        }
        if (code == 204 || code == 304) {
            // RFC 9110 §15.3.5, §15.4.5: these carry no content.
            resp.setStatus((int) code);
            return;
        }
        text(resp, (int) code, "status " + code + "\n");
    }

    private static void headers(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String name : Collections.list(req.getHeaderNames())) {
            for (String value : Collections.list(req.getHeaders(name))) {
                sb.append(name).append(": ").append(value).append('\n');
            }
        }
        text(resp, HttpServletResponse.SC_OK, sb.toString());
    }

    /** The parameter's value, the default when absent, or -1 when malformed or out of range. */
    private static long longParam(HttpServletRequest req, String name, long min, long max) {
        String raw = req.getParameter(name);
        if (raw == null) {
            return min;
        }
        try {
            long v = Long.parseLong(raw.trim());
            return v < min || v > max ? -1 : v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void text(HttpServletResponse resp, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        // Through the byte stream, not getWriter(), so Tomcat adds no charset to the type.
        resp.setContentType("text/plain");
        resp.setContentLength(bytes.length);
        try (OutputStream out = resp.getOutputStream()) {
            out.write(bytes);
        }
    }
}
