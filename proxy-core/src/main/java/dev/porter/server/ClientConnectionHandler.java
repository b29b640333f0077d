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
import dev.porter.http.BodyFramer;
import dev.porter.http.ErrorResponses;
import dev.porter.http.HeadParser;
import dev.porter.http.MessageHead;
import dev.porter.http.RequestRejection;
import dev.porter.upstream.UpstreamGroup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client connection, last in its pipeline
 * ({@code [tls →] [limits →] send-timeout → timeouts → client}): it parses requests from the
 * bytes as they arrive ({@link HeadParser}, {@link BodyFramer}), one at a time (the bytes of a
 * pipelined request wait until the response before them is out, so responses go in order),
 * answers what it can itself (400, 404, 413, 429...), hands the rest to an {@link Exchange}
 * with the request body as it comes, decides when the connection is kept alive, and ends it by
 * the listener's close-initiator ({@link ClientClosePolicy}). Reading follows what the exchange
 * can take (backpressure).
 *
 * <p>No request is decoded into header objects: a request head stays the bytes it came in, and
 * the body is passed on as slices of what was read.
 *
 * <p>Confined to the connection's event loop, which is also its worker's.
 */
final class ClientConnectionHandler extends ChannelInboundHandlerAdapter implements ClientSide {
    private static final Logger logger = LoggerFactory.getLogger(ClientConnectionHandler.class);

    private final Worker worker;
    private final ListenerConfig listener;
    private final ClientTimeoutHandler timeouts;
    private final ExchangeScope scope;
    private final ClientRateLimit rateLimit;
    private final ClientPeer peer;
    private ChannelHandlerContext ctx;
    /** The client address of the request being served (set when it is dispatched). */
    private ClientAddress address;
    /** Bytes read and not yet consumed: a head in progress, body bytes, or a pipelined request. */
    private ByteBuf in;
    private HeadParser parser;
    private BodyFramer body;
    /** The current request's head, between its parse and the end of its exchange. */
    private MessageHead head;
    private Exchange exchange;
    /** The current request's last byte was read (true between requests). */
    private boolean requestEnded = true;
    /** A request could not be parsed: nothing more on this connection is. */
    private boolean rejected;
    /** The body after a request answered locally is dropped, then the connection closes. */
    private boolean discarding;
    private int requests;
    /** The client sent FIN: finish the exchange in flight, then close. */
    private boolean inputClosed;
    /** This connection ends after the response in flight. */
    private boolean closing;
    /** The connection became a WebSocket tunnel: no more HTTP on it, the tunnel's handler reads it. */
    private boolean tunnel;

    ClientConnectionHandler(Worker worker, ListenerConfig listener, ClientTimeoutHandler timeouts, ClientRateLimit rateLimit,
                            ClientPeer peer) {
        this.worker = worker;
        this.listener = listener;
        this.timeouts = timeouts;
        this.rateLimit = rateLimit;
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
        if (!(msg instanceof ByteBuf data)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (rejected || closing && exchange == null) {
            // Ending: whatever still comes (a pipelined or smuggled request after a refused one) is never looked at.
            data.release();
            return;
        }
        in = in == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), in, data);
        process();
    }

    /** Consumes what was read: request heads, body bytes, and holds a pipelined request until its turn. */
    private void process() {
        while (in != null && in.isReadable() && !rejected) {
            if (requestEnded) {
                if (exchange != null || closing) {
                    // The next (pipelined) request while this one's response is owed: hold it and
                    // stop reading. Pausing only now, not after every request, saves two epoll_ctl
                    // calls per request for the usual client that waits for its response.
                    ctx.channel().config().setAutoRead(false);
                    break;
                }
                if (!parseHead()) {
                    break;
                }
            } else if (!readBody()) {
                break;
            }
        }
        if (in != null && !in.isReadable()) {
            in.release();
            in = null;
        }
    }

    /** @return whether a whole head was parsed (and dispatched) */
    private boolean parseHead() {
        if (parser == null) {
            parser = new HeadParser(true, listener.maxRequestLine(), listener.maxHeaderSize());
            body = new BodyFramer(listener.maxHeaderSize());
        }
        if (!parser.inProgress()) {
            parser.begin();
        }
        int length;
        try {
            length = parser.scan(in);
        } catch (RuntimeException e) {
            logger.debug("{} rejected request: {}", ctx.channel(), e.toString());
            requests++;
            reject(RequestRejection.statusFor(e));
            return false;
        }
        if (length < 0) {
            return false;
        }
        head = parser.take(in.readRetainedSlice(length));
        requestEnded = false;
        onRequest(head);
        return true;
    }

    /** After a request that cannot be framed nothing later on the connection can be trusted (RFC 9112 §6.3). */
    private void reject(HttpResponseStatus status) {
        rejected = true;
        if (in != null) {
            in.skipBytes(in.readableBytes());
        }
        respondLocally(status, true);
    }

    /** @return whether body bytes were consumed */
    private boolean readBody() {
        int length;
        try {
            length = body.frame(in);
        } catch (RuntimeException e) {
            // A malformed chunked body: the request is ambiguous from here on and ends now.
            logger.debug("{} rejected request body: {}", ctx.channel(), e.toString());
            rejected = true;
            in.skipBytes(in.readableBytes());
            requestEnded = true;
            if (exchange != null) {
                exchange.rejectBody(RequestRejection.statusFor(e));
            }
            return false;
        }
        if (length == 0 && !body.done()) {
            return false;
        }
        boolean last = body.done();
        if (last) {
            requestEnded = true;
        }
        if (exchange == null || discarding) {
            in.skipBytes(length);
        } else if (listener.maxBodySize() > 0 && body.bodyBytes() > listener.maxBodySize()) {
            in.skipBytes(length);
            discarding = true;
            exchange.bodyTooLarge();
        } else {
            exchange.onClientBody(in.readRetainedSlice(length), last);
        }
        return true;
    }

    private void onRequest(MessageHead request) {
        requests++;
        address = peer.of(request);
        body.expectRequestBody(request);
        boolean hasBody = !body.done();
        requestEnded = !hasBody;
        if (rateLimit != null) {
            TokenBucket bucket = rateLimit.bucketFor(address);
            if (!rateLimit.admit(bucket)) {
                refuseRate(bucket);
                return;
            }
        }
        RouteConfig route = worker.router().route(request.host(), request.originTarget());
        if (route == null) {
            respondLocally(HttpResponseStatus.NOT_FOUND, hasBody);
            return;
        }
        UpstreamGroup group = worker.upstreams().get(route.upstream());
        long max = listener.maxBodySize();
        if (max > 0 && request.contentLength() > max) {
            respondLocally(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, true);
            return;
        }
        if (group.config().httpVersion() == UpstreamHttpVersion.HTTP_1_0 && request.isChunked()) {
            // An HTTP/1.0 upstream cannot read a chunked body, and buffering it whole is not an option.
            respondLocally(HttpResponseStatus.LENGTH_REQUIRED, true);
            return;
        }
        worker.clientStats().exchangeStarted();
        exchange = new Exchange(this, scope, request, route, group, hasBody);
        timeouts.requestHead(hasBody);
        exchange.start();
        updateReading();
    }

    /** rate-per-ip: 429, never forwarded, and the connection ends as one whose request was not read. */
    private void refuseRate(TokenBucket bucket) {
        logger.debug("{} request refused: rate-per-ip exceeded", ctx.channel());
        rejected = true;
        closing = true;
        worker.clientStats().response(HttpResponseStatus.TOO_MANY_REQUESTS.code());
        accessLog(HttpResponseStatus.TOO_MANY_REQUESTS);
        releaseRequest();
        timeouts.disarm();
        ctx.writeAndFlush(ErrorResponses.of(ctx.alloc(), HttpResponseStatus.TOO_MANY_REQUESTS, true, rateLimit.retryAfterSeconds(bucket)))
                .addListener((ChannelFutureListener) f -> ClientClosePolicy.close(f.channel(), listener.closeInitiator(),
                        listener.lingerTimeout().toNanos(), true, false));
    }

    /** A response Porter writes itself, for a request that never reaches an upstream. */
    private void respondLocally(HttpResponseStatus status, boolean close) {
        accessLog(status);
        boolean end = close || !keepAliveAllowed();
        worker.clientStats().response(status.code());
        if (!requestEnded) {
            // Its body is not read; the connection ends after the answer.
            discarding = true;
            end = true;
        }
        ctx.writeAndFlush(ErrorResponses.of(ctx.alloc(), status, end));
        releaseRequest();
        if (end) {
            closeAfterFlush();
        } else {
            timeouts.awaitRequest();
            updateReading();
        }
    }

    private void accessLog(HttpResponseStatus status) {
        if (head != null && AccessLog.enabled()) {
            AccessLog.log(address != null ? address : peer.address(), head, status.code(), 0, null, 0, 0, false);
        }
    }

    /** The request head is no longer needed: its exchange ended, or it was answered locally. */
    private void releaseRequest() {
        if (head != null) {
            head.release();
            head = null;
        }
    }

    @Override
    public Channel channel() {
        return ctx.channel();
    }

    @Override
    public ClientAddress clientAddress() {
        return address != null ? address : peer.address();
    }

    /** Whether the response being written may keep the connection open (Connection header). */
    @Override
    public boolean keepAliveAllowed() {
        return !closing && !inputClosed && !worker.shuttingDown() && requests < listener.keepaliveRequests()
                && (head == null || head.keepAlive());
    }

    /** Called by the exchange once its response's last part is written (queued) to the client. */
    @Override
    public void exchangeDone(Exchange done, boolean keepAlive, int status) {
        if (exchange != done) {
            return;
        }
        exchange = null;
        releaseRequest();
        worker.clientStats().exchangeEnded();
        worker.clientStats().response(status);
        if (!keepAlive || !keepAliveAllowed()) {
            closeAfterFlush();
            return;
        }
        timeouts.awaitRequest();
        process();
        updateReading();
    }

    /** The exchange failed after its response started: the client must see a cut connection, not a short response. */
    @Override
    public void exchangeAborted(Exchange aborted) {
        if (exchange == aborted) {
            exchange = null;
            releaseRequest();
            worker.clientStats().exchangeEnded();
        }
        closing = true;
        ctx.close();
    }

    @Override
    public ByteBuf exchangeUpgraded(Exchange upgraded, ChannelHandler tunnelHandler) {
        if (exchange == upgraded) {
            exchange = null;
            worker.clientStats().exchangeEnded();
        }
        tunnel = true;
        worker.clientStats().response(101);
        worker.clientStats().tunnelOpened();
        // The head is the exchange's now (for the tunnel's access log line), and the parser that
        // holds it is never used again: channelInactive must not reset it.
        head = null;
        parser = null;
        timeouts.disarm();
        ctx.pipeline().remove(ClientChannelInitializer.TIMEOUTS);
        ctx.pipeline().remove(ClientChannelInitializer.SEND_TIMEOUT);
        ctx.pipeline().addBefore(ctx.name(), ClientChannelInitializer.TUNNEL, tunnelHandler);
        // Bytes sent after the handshake were held as a pipelined request would be: they are frames.
        ByteBuf rest = in;
        in = null;
        return rest;
    }

    @Override
    public void tunnelEnded() {
        worker.clientStats().tunnelClosed();
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
            // A complete request leaves reading on: whatever comes next is held (process).
            boolean holding = requestEnded && in != null && in.isReadable();
            want = !holding && (requestEnded || exchange.wantsClientInput());
        } else {
            want = !closing && !inputClosed;
        }
        if (ctx.channel().config().isAutoRead() != want) {
            ctx.channel().config().setAutoRead(want);
        }
        if (want && inputClosed && exchange != null && !requestEnded) {
            // Everything the client sent before its FIN has been read, and the request is
            // still incomplete: it was cut short, and nothing sane can be sent upstream.
            Exchange cut = exchange;
            cut.onClientClosed();
            exchangeAborted(cut);
        }
    }

    private void closeAfterFlush() {
        closing = true;
        timeouts.disarm();
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> closeByPolicy());
    }

    /** Ends the connection the way the listener's close-initiator says, which decides where TIME_WAIT lands. */
    private void closeByPolicy() {
        ClientClosePolicy.close(ctx.channel(), listener.closeInitiator(), listener.lingerTimeout().toNanos(),
                !requestEnded || discarding, inputClosed);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            if (exchange == null) {
                ctx.close();
            } else {
                // The response is still owed; the connection closes after it. If the request
                // turns out to be incomplete, it is aborted.
                updateReading();
            }
        } else if (evt == ClientTimeout.KEEPALIVE) {
            logger.debug("{} keepalive timeout", ctx.channel());
            closing = true;
            closeByPolicy();
        } else if (evt == ClientTimeout.HEADER && exchange == null) {
            rejected = true;
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
        if (in != null) {
            in.release();
            in = null;
        }
        if (exchange != null) {
            Exchange ex = exchange;
            exchange = null;
            worker.clientStats().exchangeEnded();
            ex.onClientClosed();
        }
        releaseRequest();
        if (parser != null) {
            parser.begin();
        }
        worker.unregister(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        logger.debug("{} client connection error: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    /**
     * Shutdown: close now if idle, otherwise after the response in flight. A tunnel stays until
     * it ends or shutdown-timeout passes ({@link #forceClose}), as nginx keeps WebSockets until
     * worker_shutdown_timeout.
     */
    void shutdown() {
        if (tunnel) {
            return;
        }
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
