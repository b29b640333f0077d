package dev.porter.server;

import dev.porter.client.ClientAddress;
import dev.porter.close.ClientClosePolicy;
import dev.porter.config.ListenerConfig;
import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamHttpVersion;
import dev.porter.exchange.AccessLog;
import dev.porter.exchange.ClientSide;
import dev.porter.exchange.Exchange;
import dev.porter.exchange.ExchangeScope;
import dev.porter.http.ErrorResponses;
import dev.porter.http.RequestRejection;
import dev.porter.upstream.UpstreamGroup;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The client connection's side of the proxy, last in its pipeline
 * ({@code timeouts → codec → flow-control → proxy}): it takes decoded requests one at a
 * time (pipelined ones wait in the flow-control handler, so responses go out in order),
 * answers what it can itself (400, 404, 413...), hands the rest to an {@link Exchange},
 * decides when the connection is kept alive and how it ends (the listener's
 * close-initiator), and drives reading from the client.
 *
 * <p>Confined to the connection's event loop, which is also its worker's.
 */
final class ProxyHandler extends ChannelInboundHandlerAdapter implements ClientSide {
    private static final Logger logger = LoggerFactory.getLogger(ProxyHandler.class);

    private final Worker worker;
    private final ListenerConfig listener;
    private final ClientTimeoutHandler timeouts;
    private final ClientPeer peer;
    private final ExchangeScope scope;
    private ChannelHandlerContext ctx;
    private Exchange exchange;
    /** The client address of the request being served (set when it is dispatched). */
    private ClientAddress address;
    /** The current request's last part was read (true between requests). */
    private boolean requestEnded = true;
    /** A message of the next request, read while the current exchange was still running. */
    private Object held;
    private int requests;
    /** The client sent FIN: finish the exchange in flight, then close. */
    private boolean inputClosed;
    /** This connection ends after the response in flight. */
    private boolean closing;

    ProxyHandler(Worker worker, ListenerConfig listener, ClientTimeoutHandler timeouts, ClientPeer peer) {
        this.worker = worker;
        this.listener = listener;
        this.timeouts = timeouts;
        this.peer = peer;
        this.scope = worker.exchangeScope(listener);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        worker.register(this);
        if (worker.shuttingDown()) {
            ctx.close();
            return;
        }
        timeouts.awaitRequest();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing && (exchange == null || msg instanceof HttpRequest)) {
            // Ending: what is still queued in the codec or the flow-control handler (a pipelined or
            // smuggled request after a refused one) is never dispatched.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (exchange != null && requestEnded) {
            // The start of the next (pipelined) request while this one's response is owed: hold
            // it and stop reading; the flow-control handler keeps the rest. Pausing only now,
            // not after every request, saves two epoll_ctl calls per request for the usual client
            // that waits for its response.
            held = msg;
            ctx.channel().config().setAutoRead(false);
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            requestEnded = msg instanceof LastHttpContent;
            try {
                onRequest(request);
            } finally {
                if (msg instanceof HttpContent) {
                    // An invalid message comes as a full request with an empty body; we own it.
                    ReferenceCountUtil.release(msg);
                }
            }
        } else if (msg instanceof HttpContent content && exchange != null) {
            if (content instanceof LastHttpContent) {
                requestEnded = true;
            }
            if (content.decoderResult().isFailure()) {
                // A malformed chunked body: the request is ambiguous from here on and ends now.
                logger.debug("{} rejected request body: {}", ctx.channel(), content.decoderResult().cause().toString());
                content.release();
                exchange.rejectBody(RequestRejection.statusFor(content.decoderResult().cause()));
                return;
            }
            exchange.onClientContent(content);
        } else {
            if (msg instanceof LastHttpContent) {
                requestEnded = true;
            }
            ReferenceCountUtil.release(msg);
        }
    }

    private void releaseHeld() {
        if (held != null) {
            ReferenceCountUtil.release(held);
            held = null;
        }
    }

    private void onRequest(HttpRequest request) {
        requests++;
        address = peer.of(request);
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            logger.debug("{} rejected request: {}", ctx.channel(), result.cause().toString());
            respondLocally(request, RequestRejection.statusFor(result.cause()), true);
            return;
        }
        RouteConfig route = worker.router().route(request.headers().get(HttpHeaderNames.HOST), request.uri());
        // RFC 9112 §6.3: without Content-Length or Transfer-Encoding a request has no body.
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        long contentLength = HttpUtil.getContentLength(request, 0L);
        boolean hasBody = chunked || contentLength > 0;
        if (route == null) {
            respondLocally(request, HttpResponseStatus.NOT_FOUND, hasBody);
            return;
        }
        UpstreamGroup group = worker.upstreams().get(route.upstream());
        if (listener.maxBodySize() > 0 && contentLength > listener.maxBodySize()) {
            respondLocally(request, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, true);
            return;
        }
        if (group.config().httpVersion() == UpstreamHttpVersion.HTTP_1_0 && chunked) {
            // An HTTP/1.0 upstream cannot read a chunked body, and buffering it whole is not an option.
            respondLocally(request, HttpResponseStatus.LENGTH_REQUIRED, true);
            return;
        }
        worker.clientStats().exchangeStarted();
        exchange = new Exchange(this, scope, request, route, group, hasBody);
        timeouts.requestHead(hasBody);
        exchange.start();
        updateReading();
    }

    /** A response Porter writes itself, for a request that never reaches an upstream. */
    private void respondLocally(HttpResponseStatus status, boolean close) {
        respondLocally(null, status, close);
    }

    private void respondLocally(HttpRequest request, HttpResponseStatus status, boolean close) {
        if (request != null) {
            AccessLog.log(address, request, status.code(), 0, null, 0, 0, false);
        }
        boolean end = close || !keepAliveAllowed();
        worker.clientStats().response(status.code());
        ctx.writeAndFlush(ErrorResponses.of(ctx.alloc(), status, end));
        if (end) {
            closeAfterFlush();
        } else {
            timeouts.awaitRequest();
            updateReading();
        }
    }

    @Override
    public Channel channel() {
        return ctx.channel();
    }

    @Override
    public ClientAddress clientAddress() {
        return address;
    }

    /** Whether the response being written may keep the connection open (Connection header). */
    @Override
    public boolean keepAliveAllowed() {
        return !closing && !inputClosed && !worker.shuttingDown() && requests < listener.keepaliveRequests();
    }

    /** Called by the exchange once its response's last part is written (queued) to the client. */
    @Override
    public void exchangeDone(Exchange done, boolean keepAlive, int status) {
        if (exchange != done) {
            return;
        }
        exchange = null;
        worker.clientStats().exchangeEnded();
        worker.clientStats().response(status);
        if (!keepAlive || !keepAliveAllowed()) {
            closeAfterFlush();
            return;
        }
        timeouts.awaitRequest();
        if (held != null) {
            Object next = held;
            held = null;
            dispatch(next);
        }
        updateReading();
    }

    /** The exchange failed after its response started: the client must see a cut connection, not a short response. */
    @Override
    public void exchangeAborted(Exchange aborted) {
        if (exchange == aborted) {
            exchange = null;
            worker.clientStats().exchangeEnded();
        }
        closing = true;
        ctx.close();
    }

    /**
     * Reads from the client only when there is somewhere to put what is read: between
     * requests, or while the exchange's upstream connection can take more of the body.
     */
    @Override
    public void updateReading() {
        boolean want;
        if (!ctx.channel().isActive()) {
            want = false;
        } else if (exchange != null) {
            // A complete request leaves reading on: whatever comes next is held (channelRead).
            want = held == null && (exchange.requestComplete() || exchange.wantsClientInput());
        } else {
            want = !closing && !inputClosed;
        }
        if (ctx.channel().config().isAutoRead() != want) {
            // Turning it on also issues a read, which may deliver held messages right now.
            ctx.channel().config().setAutoRead(want);
        }
        if (want && inputClosed && exchange != null && !exchange.requestComplete()) {
            // Everything the client sent before its FIN has been delivered, and the request is
            // still incomplete: it was cut short, and nothing sane can be sent upstream.
            Exchange cut = exchange;
            cut.onClientClosed();
            exchangeAborted(cut);
        }
    }

    private void closeAfterFlush() {
        closing = true;
        releaseHeld();
        timeouts.disarm();
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> closeByPolicy());
    }

    /** Ends the connection the way the listener's close-initiator says, which decides where TIME_WAIT lands. */
    private void closeByPolicy() {
        ClientClosePolicy.close(ctx.channel(), listener.closeInitiator(), listener.lingerTimeout().toNanos(),
                !requestEnded, inputClosed);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            if (exchange == null) {
                ctx.close();
            } else {
                // The response is still owed; the connection closes after it. If the request
                // turns out to be incomplete once its held parts are read, it is aborted.
                updateReading();
            }
        } else if (evt == ClientTimeout.KEEPALIVE) {
            logger.debug("{} keepalive timeout", ctx.channel());
            closing = true;
            closeByPolicy();
        } else if (evt == ClientTimeout.HEADER && exchange == null) {
            respondLocally(HttpResponseStatus.REQUEST_TIMEOUT, true);
        } else if (evt == ClientTimeout.BODY && exchange != null) {
            exchange.clientBodyTimedOut();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.flushUpstream();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        if (exchange != null) {
            Exchange ex = exchange;
            exchange = null;
            worker.clientStats().exchangeEnded();
            ex.onClientClosed();
        }
        worker.unregister(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        logger.debug("{} client connection error: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    /** Shutdown: close now if idle, otherwise after the response in flight. */
    void shutdown() {
        if (exchange == null) {
            closeAfterFlush();
        } else {
            closing = true;
        }
    }

    void forceClose() {
        ctx.close();
    }
}
