package dev.porter.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;

/**
 * Last handler of an admin connection: answers one aggregated request at a time.
 *
 * <p>Reading is paused from the moment a request arrives until its reply is written (with
 * {@code FlowControlHandler} before this handler holding back requests already decoded), so
 * replies that complete later still go out in request order (RFC 9112 §9.3.2).
 *
 * <p>Runs on the admin event loop; reply stages may complete on any thread, and the
 * response buffer is only allocated back on the loop.
 */
final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger logger = LoggerFactory.getLogger(AdminRequestHandler.class);

    private final AdminRoutes routes;

    AdminRequestHandler(AdminRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        ctx.channel().config().setAutoRead(false);
        HttpVersion version = request.protocolVersion();
        if (request.decoderResult().isFailure()) {
            // The stream cannot be trusted past a malformed request: answer and close.
            ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), "bad request\n");
            FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.BAD_REQUEST, body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, AdminRoutes.TEXT)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        routes.route(request.method(), path).whenComplete((reply, error) -> {
            AdminReply r = reply != null ? reply : new AdminReply(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    AdminRoutes.TEXT, String.valueOf(error) + "\n", null);
            try {
                ctx.executor().execute(() -> respond(ctx, version, r));
            } catch (RejectedExecutionException e) {
                logger.debug("{} admin loop stopped before the reply was ready", ctx.channel());
            }
        });
    }

    private static void respond(ChannelHandlerContext ctx, HttpVersion version, AdminReply reply) {
        if (!ctx.channel().isActive()) {
            return;
        }
        ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), reply.body());
        FullHttpResponse response = new DefaultFullHttpResponse(version, reply.status(), body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (reply.allow() != null) {
            response.headers().set(HttpHeaderNames.ALLOW, reply.allow());
        }
        ctx.writeAndFlush(response);
        // Ask for the next request; HttpServerKeepAliveHandler closes instead when this was the last.
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        logger.debug("{} admin connection failed", ctx.channel(), cause);
        ctx.close();
    }
}
