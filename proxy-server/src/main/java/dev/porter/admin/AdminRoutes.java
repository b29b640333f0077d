package dev.porter.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Maps an admin request (method, path) to the {@link AdminReply} it gets, calling the
 * process's functions. Pure routing and formatting: no channels and no buffers, so that a
 * reply computed on another thread never holds a {@code ByteBuf}.
 *
 * <p>Immutable and shared by every admin connection.
 */
final class AdminRoutes {
    static final String JSON = "application/json; charset=utf-8";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";

    private final Supplier<? extends CompletionStage<?>> status;
    private final Supplier<? extends CompletionStage<String>> metrics;
    private final Supplier<? extends CompletionStage<String>> reload;

    AdminRoutes(Supplier<? extends CompletionStage<?>> status, Supplier<? extends CompletionStage<String>> metrics,
                Supplier<? extends CompletionStage<String>> reload) {
        this.status = status;
        this.metrics = metrics;
        this.reload = reload;
    }

    /** The reply for a request; the stage may complete on any thread, and never exceptionally. */
    CompletionStage<AdminReply> route(HttpMethod method, String path) {
        return switch (path) {
            case "/status" -> method.equals(HttpMethod.GET) ? status() : wrongMethod("GET");
            case "/metrics" -> method.equals(HttpMethod.GET) ? metrics() : wrongMethod("GET");
            case "/reload" -> method.equals(HttpMethod.POST) ? reload() : wrongMethod("POST");
            default -> done(new AdminReply(HttpResponseStatus.NOT_FOUND, TEXT,
                    "not found; try GET /status, GET /metrics or POST /reload\n", null));
        };
    }

    private CompletionStage<AdminReply> status() {
        return AdminRoutes.<Object>call(status).handle((value, error) -> {
            if (error != null) {
                return failed(HttpResponseStatus.INTERNAL_SERVER_ERROR, error);
            }
            try {
                return new AdminReply(HttpResponseStatus.OK, JSON, StatusJson.write(value) + "\n", null);
            } catch (RuntimeException e) {
                return failed(HttpResponseStatus.INTERNAL_SERVER_ERROR, e);
            }
        });
    }

    private CompletionStage<AdminReply> metrics() {
        return AdminRoutes.<String>call(metrics).handle((text, error) -> error != null
                ? failed(HttpResponseStatus.INTERNAL_SERVER_ERROR, error)
                : new AdminReply(HttpResponseStatus.OK, PROMETHEUS, text, null));
    }

    private CompletionStage<AdminReply> reload() {
        // A refused configuration is the operator's to fix, hence 400, not 500.
        return AdminRoutes.<String>call(reload).handle((text, error) -> error != null
                ? failed(HttpResponseStatus.BAD_REQUEST, error)
                : new AdminReply(HttpResponseStatus.OK, TEXT, withNewline(String.valueOf(text)), null));
    }

    /** Calls a supplier, turning a synchronous throw into a failed stage. */
    private static <T> CompletionStage<T> call(Supplier<? extends CompletionStage<? extends T>> supplier) {
        try {
            CompletionStage<? extends T> stage = supplier.get();
            return stage != null
                    ? stage.<T>thenApply(v -> v)
                    : CompletableFuture.failedFuture(new IllegalStateException("no result"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static CompletionStage<AdminReply> wrongMethod(String allowed) {
        return done(new AdminReply(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "use " + allowed + "\n", allowed));
    }

    private static AdminReply failed(HttpResponseStatus status, Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
        return new AdminReply(status, TEXT, withNewline(message), null);
    }

    private static String withNewline(String s) {
        return s.endsWith("\n") ? s : s + "\n";
    }

    private static CompletionStage<AdminReply> done(AdminReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
