package dev.porter.bench.backend;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link FixedBodyServlet}'s answer after a delay, as a slow application would give it: the
 * request goes async and a timer writes the answer, so that thousands of held requests cost
 * Tomcat no thread each. With every client waiting on Tomcat, the proxy needs one upstream
 * connection per client at the same time.
 */
final class HeldBodyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient ScheduledExecutorService timer;
    private final long delayNanos;

    HeldBodyServlet(ScheduledExecutorService timer, Duration delay) {
        this.timer = timer;
        this.delayNanos = delay.toNanos();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) {
        AsyncContext async = req.startAsync();
        // the delay is the point; Tomcat's own async timeout (30 s) must not cut it short
        async.setTimeout(0);
        timer.schedule(() -> answer(async, resp), delayNanos, TimeUnit.NANOSECONDS);
    }

    private static void answer(AsyncContext async, HttpServletResponse resp) {
        try {
            resp.setStatus(HttpServletResponse.SC_OK);
            resp.setContentType("text/plain");
            resp.setContentLength(FixedBodyServlet.BODY.length);
            resp.getOutputStream().write(FixedBodyServlet.BODY);
        } catch (IOException | IllegalStateException e) {
            // the proxy went away while the request was held: nobody is left to answer
        } finally {
            async.complete();
        }
    }
}
