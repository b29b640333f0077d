package dev.porter.server;

import dev.porter.client.ClientAddress;
import dev.porter.exchange.ClientSide;
import dev.porter.exchange.Exchange;
import dev.porter.http.MessageHead;
import dev.porter.http.RequestRejection;
import dev.porter.transport.PendingAck;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP of a client connection, last in its pipeline ({@code [tls →] [limits →] client}):
 * it takes requests as {@link RequestReader} cuts them from the bytes, one at a time (the bytes of
 * a pipelined request wait until the response before them is out, so responses go in order),
 * answers what {@link RequestAdmission} refuses itself (404, 413, 429...) and what cannot be
 * parsed (400...), hands the rest to an {@link Exchange} with the request body as it comes, and
 * decides when the connection is kept alive. Reading follows what the exchange can take
 * (backpressure), and the client-header and client-body timeouts ({@link ClientTimeouts}) follow
 * the request. When an exchange's WebSocket handshake is answered 101 ({@link #exchangeUpgraded})
 * the connection leaves HTTP: the tunnel's handler takes its place in front of this one, which
 * from then on only sees the close.
 *
 * <p>The connection's life whatever it carries (the worker's count, keepalive-timeout,
 * send-timeout, shutdown, and its end by the listener's close-initiator) is its superclass's,
 * {@link ClientConnection}.
 *
 * <p>Confined to the connection's event loop, which is also its worker's.
 */
final class ClientConnectionHandler extends ClientConnection implements ClientSide, RequestReader.Sink {
    private static final Logger logger = LoggerFactory.getLogger(ClientConnectionHandler.class);

    private final WorkerListener shared;
    private final ClientPeer peer;
    /** Lent by {@link #shared} while a request is being read or served; null while idle. */
    private RequestReader reader;
    /** The client address of the request being served (set when it is dispatched). */
    private ClientAddress address;
    /** The current request's head, between its parse and the end of its exchange. */
    private MessageHead head;
    private Exchange exchange;
    /** A request could not be parsed: nothing more on this connection is. */
    private boolean rejected;
    /** The body after a request answered locally is dropped, then the connection closes. */
    private boolean discarding;
    private int requests;
    /** The pending ACK was sent for the current request's body ({@link #channelReadComplete}). */
    private boolean bodyAcked;

    ClientConnectionHandler(WorkerListener shared, ClientPeer peer) {
        super(shared);
        this.shared = shared;
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        timeouts.read();
        if (!(msg instanceof ByteBuf data)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (rejected || closing() && exchange == null) {
            // Ending: whatever still comes (a pipelined or smuggled request after a refused one) is never looked at.
            data.release();
            return;
        }
        if (reader == null) {
            reader = shared.takeReader();
        }
        reader.add(ctx.alloc(), data);
        reader.process(this);
        lendReaderBack();
    }

    /** Between requests with nothing read, the connection needs no reader: it goes back to be shared. */
    private void lendReaderBack() {
        if (reader != null && head == null && exchange == null && reader.idle()) {
            shared.giveBack(reader);
            reader = null;
        }
    }

    /** Whether the current request was read whole (true between requests). */
    private boolean requestEnded() {
        return reader == null || reader.requestEnded();
    }

    @Override
    public boolean holdNextRequest() {
        if (exchange != null || closing()) {
            // The next (pipelined) request while this one's response is owed: hold it and
            // stop reading. Pausing only now, not after every request, saves two epoll_ctl
            // calls per request for the usual client that waits for its response.
            ctx.channel().config().setAutoRead(false);
            return true;
        }
        return false;
    }

    /** Nothing more is parsed after a refused request, nor on a connection ending with no exchange. */
    @Override
    public boolean stopped() {
        return rejected || closing() && exchange == null;
    }

    /** After a request that cannot be framed nothing later on the connection can be trusted (RFC 9112 §6.3). */
    @Override
    public void onHeadRejected(RuntimeException e) {
        logger.debug("{} rejected request: {}", ctx.channel(), e.toString());
        requests++;
        rejected = true;
        reader.discard();
        respondLocally(RequestRejection.statusFor(e), true);
    }

    @Override
    public void onBodyRejected(RuntimeException e) {
        logger.debug("{} rejected request body: {}", ctx.channel(), e.toString());
        rejected = true;
        if (exchange != null) {
            exchange.refuseRequest(RequestRejection.statusFor(e), "malformed request body");
        }
    }

    @Override
    public void onBody(int length, boolean last) {
        if (exchange == null || discarding) {
            reader.skip(length);
            if (last && !discarding) {
                // The rest of an early-answered request is all here (exchangeDone): the
                // connection now waits for the next request, as the response's head promised,
                // unless it has to end meanwhile (shutdown began while the rest came).
                if (keepAliveAllowed()) {
                    timeouts.awaitRequest();
                } else {
                    closeAfterFlush();
                }
            }
        } else if (listener.maxBodySize() > 0 && reader.bodyBytes() > listener.maxBodySize()) {
            reader.skip(length);
            discarding = true;
            exchange.refuseRequest(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body over max-body-size");
        } else {
            exchange.onClientBody(reader.take(length), last);
        }
    }

    @Override
    public void onHead(MessageHead request, boolean hasBody) {
        head = request;
        bodyAcked = false;
        requests++;
        address = peer.of(request);
        RequestAdmission admission = shared.admission();
        HttpResponseStatus refusal = admission.admit(request, address, peer);
        if (refusal == HttpResponseStatus.TOO_MANY_REQUESTS) {
            // rate-per-ip: never forwarded, and the connection ends as one whose request was not read.
            logger.debug("{} request refused: rate-per-ip exceeded", ctx.channel());
            rejected = true;
            discarding = true;
        }
        if (refusal != null) {
            // A 404 keeps the connection when there is no body to skip; a body that is too large or cannot be sent ends it.
            respondLocally(refusal, hasBody || refusal != HttpResponseStatus.NOT_FOUND);
            return;
        }
        worker.clientStats().exchangeStarted();
        exchange = new Exchange(this, shared.scope(), request, admission.route(), admission.group(), hasBody);
        timeouts.requestHead(hasBody);
        exchange.start();
        updateReading();
    }

    /** A response Porter writes itself, for a request that never reaches an upstream. */
    private void respondLocally(HttpResponseStatus status, boolean close) {
        boolean end = close || !keepAliveAllowed();
        if (!requestEnded()) {
            // Its body is not read; the connection ends after the answer.
            discarding = true;
            end = true;
        }
        shared.responses().write(ctx, head, clientAddress(), status, end, shared.admission().retryAfterSeconds());
        watchSend();
        releaseRequest();
        if (end) {
            closeAfterFlush();
        } else {
            timeouts.awaitRequest();
            updateReading();
        }
    }

    /** The exchange in flight is no longer this connection's (done, aborted, upgraded, or its client gone). */
    private Exchange endExchange() {
        Exchange ended = exchange;
        exchange = null;
        worker.clientStats().exchangeEnded();
        return ended;
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
        return !closing() && !inputClosed() && !worker.shuttingDown() && requests < listener.keepaliveRequests()
                && (head == null || head.keepAlive());
    }

    /** Called by the exchange once its response's last part is written (queued) to the client. */
    @Override
    public void exchangeDone(Exchange done, boolean keepAlive, int status) {
        if (exchange != done) {
            return;
        }
        endExchange();
        releaseRequest();
        worker.clientStats().response(status);
        if (!keepAlive || !keepAliveAllowed()) {
            closeAfterFlush();
            return;
        }
        if (requestEnded()) {
            timeouts.awaitRequest();
        } else {
            // Answered before its body came whole (an early 401 or 413), with a head that said
            // keep-alive: the rest is read and dropped as it comes (onBody), whatever its size,
            // as nginx does, so the promise holds and a client that sends its whole body before
            // it reads is not reset mid-upload. A pause longer than client-body-timeout ends it.
            timeouts.requestHead(true);
        }
        if (reader != null) {
            reader.process(this);
            lendReaderBack();
        }
        updateReading();
    }

    /** The exchange failed after its response started: the client must see a cut connection, not a short response. */
    @Override
    public void exchangeAborted(Exchange aborted) {
        if (exchange == aborted) {
            endExchange();
            releaseRequest();
        }
        cut();
    }

    @Override
    public ByteBuf exchangeUpgraded(Exchange upgraded, ChannelHandler tunnelHandler) {
        if (exchange == upgraded) {
            endExchange();
        }
        // The head is the exchange's now (for the tunnel's access log line).
        head = null;
        becomeTunnel(tunnelHandler);
        if (reader == null) {
            return null;
        }
        // Bytes sent after the handshake were held as a pipelined request would be: they are frames.
        // The reader, left without input or parser, goes back to serve another connection.
        ByteBuf rest = reader.switchProtocols();
        shared.giveBack(reader);
        reader = null;
        return rest;
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
            boolean holding = reader != null && reader.holding();
            want = !holding && (requestEnded() || exchange.wantsClientInput());
        } else {
            want = !closing() && !inputClosed();
        }
        if (ctx.channel().config().isAutoRead() != want) {
            ctx.channel().config().setAutoRead(want);
        }
        if (want && inputClosed() && exchange != null && !requestEnded()) {
            // Everything the client sent before its FIN has been read, and the request is
            // still incomplete: it was cut short, and nothing sane can be sent upstream.
            Exchange incomplete = exchange;
            incomplete.onClientClosed();
            exchangeAborted(incomplete);
        }
    }

    @Override
    boolean inFlight() {
        return exchange != null;
    }

    @Override
    boolean idle() {
        return exchange == null && reader == null && requests > 0;
    }

    @Override
    boolean inputUnread() {
        return !requestEnded() || discarding;
    }

    @Override
    void requestTimedOut(ClientTimeout timeout) {
        if (timeout == ClientTimeout.HEADER && exchange == null) {
            rejected = true;
            respondLocally(HttpResponseStatus.REQUEST_TIMEOUT, true);
        } else if (timeout == ClientTimeout.BODY && exchange != null) {
            exchange.refuseRequest(HttpResponseStatus.REQUEST_TIMEOUT, "client body timeout");
        } else if (timeout == ClientTimeout.BODY) {
            // The rest of an answered request stopped coming: its response is long sent, so no
            // 408, only the end.
            logger.debug("{} client body timeout after the response", ctx.channel());
            closeAfterFlush();
        }
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
            if (!bodyAcked && !requestEnded()) {
                // The request's body is still to come, and nothing will be sent back until it
                // has: a client with Nagle's algorithm on (the JDK's HttpURLConnection writes a
                // head and its body apart) holds its body back until what it sent is
                // acknowledged, which the kernel would delay by ~40 ms. Once per request: a
                // body that then comes in full segments is acknowledged every other segment
                // anyway; none for a request read whole.
                bodyAcked = true;
                PendingAck.sendNow(ctx.channel());
            }
            exchange.flushUpstream();
        }
    }

    @Override
    void connectionClosed() {
        if (reader != null) {
            reader.close();
            shared.giveBack(reader);
            reader = null;
        }
        if (exchange != null) {
            endExchange().onClientClosed();
        }
        releaseRequest();
    }
}
