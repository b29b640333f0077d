package dev.porter.testing;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real Tomcat with a WebSocket endpoint ({@code tomcat-embed-websocket}), on 127.0.0.1 and a
 * port the OS picks: {@code /echo} sends every text and binary message back (up to 4 MB), and
 * closes the session itself (code 1000, "bye") when it receives the text {@code close-me};
 * every other path is a plain servlet ("hello; upgrade=" and the Upgrade field it got), so
 * that the same connector also serves ordinary requests.
 * It records how each session ended, as Tomcat saw it.
 */
public final class WebSocketBackend implements AutoCloseable {
    private static final int MAX_MESSAGE = 4 * 1024 * 1024;
    /** Close codes of the sessions that ended, as the endpoint saw them. */
    static final List<Integer> CLOSES = new CopyOnWriteArrayList<>();

    private final Tomcat tomcat;
    private final Connector connector;

    private WebSocketBackend() throws IOException, LifecycleException {
        Path baseDir = Files.createTempDirectory("porter-ws-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", baseDir.toString());
        ctx.addServletContainerInitializer(new WsSci(), null);
        ctx.addApplicationListener(Deployer.class.getName());
        Tomcat.addServlet(ctx, "hello", new Hello());
        // Also the default servlet: Tomcat runs filters (WebSocket's WsFilter among them) only
        // for a request some servlet is mapped to.
        ctx.addServletMappingDecoded("/", "hello");
        tomcat.start();
    }

    public static WebSocketBackend start() {
        try {
            return new WebSocketBackend();
        } catch (IOException | LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }

    public String address() {
        return "127.0.0.1:" + connector.getLocalPort();
    }

    /** Close codes of the sessions that ended so far, as Tomcat saw them (1000 normal, 1006 abnormal...). */
    public List<Integer> closes() {
        return CLOSES;
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
        CLOSES.clear();
    }

    /** Deploys {@link Echo} once the WebSocket container is there (Tomcat instantiates it by name). */
    public static final class Deployer implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent sce) {
            ServerContainer container = (ServerContainer) sce.getServletContext()
                    .getAttribute(ServerContainer.class.getName());
            try {
                container.addEndpoint(ServerEndpointConfig.Builder.create(Echo.class, "/echo").build());
            } catch (DeploymentException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Echoes every message; closes on "close-me". */
    public static final class Echo extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxTextMessageBufferSize(MAX_MESSAGE);
            session.setMaxBinaryMessageBufferSize(MAX_MESSAGE);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                try {
                    if (text.equals("close-me")) {
                        session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye"));
                    } else {
                        session.getBasicRemote().sendText(text);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) data -> {
                try {
                    session.getBasicRemote().sendBinary(data);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            CLOSES.add(reason.getCloseCode().getCode());
        }
    }

    private static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] b = ("hello; upgrade=" + req.getHeader("upgrade") + "\n").getBytes(StandardCharsets.UTF_8);
            resp.setContentType("text/plain;charset=UTF-8");
            resp.setContentLength(b.length);
            resp.getOutputStream().write(b);
        }
    }
}
