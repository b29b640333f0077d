package dev.porter.bench.backend;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Answers every request, whatever its method or path, with the same small body and an
 * explicit {@code Content-Length}, so that the connection can stay alive and the cost of a
 * response is the same for every target the bench measures.
 */
final class FixedBodyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** 100 bytes: small enough that the bench measures connection handling, not transfer. */
    static final byte[] BODY = body(100);

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("text/plain");
        resp.setContentLength(BODY.length);
        resp.getOutputStream().write(BODY);
    }

    private static byte[] body(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'x');
        byte[] head = "porter-bench\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, b, 0, head.length);
        b[size - 1] = '\n';
        return b;
    }
}
