package dev.porter.testing;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTPS upstream on the JDK's TLS (so it shares no code with Porter's OpenSSL): it serves
 * a certificate from {@link TestPki}, records each handshake (the name the client asked for,
 * protocol, whether it was full or resumed) and each request head, and answers every request with
 * {@code 200 "sni=<name> conn=<index> <target>"} on a keep-alive connection.
 */
public final class TlsOrigin implements AutoCloseable {
    /**
     * One completed handshake as the origin saw it; {@code full} when it needed the origin's
     * certificate and key, false when the client resumed an earlier session.
     */
    public record Handshake(int connection, String serverName, String protocol, boolean full) {
    }

    private final SSLServerSocket server;
    private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    /** Connections whose handshake chose a certificate: full handshakes; a resumed one needs none. */
    private final Set<Socket> certificateChosen = ConcurrentHashMap.newKeySet();

    /** @param protocols the versions the origin accepts; none = the JDK's defaults */
    public TlsOrigin(TestPki.Issued certificate, String... protocols) throws IOException {
        SSLContext ctx;
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", certificate.key(), new char[0], new Certificate[] {certificate.certificate(), certificate.ca()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {new Recording((X509ExtendedKeyManager) kmf.getKeyManagers()[0])}, null, null);
        } catch (Exception e) {
            throw new IOException(e);
        }
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        if (protocols.length > 0) {
            server.setEnabledProtocols(protocols);
        }
        Thread acceptor = new Thread(this::accept, "tls-origin-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Connections accepted, whether or not their handshake completed. */
    public int connections() {
        return connections.get();
    }

    public List<Handshake> handshakes() {
        return handshakes;
    }

    /** Request heads received over TLS, in order. */
    public List<String> requests() {
        return requests;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                open.add(s);
                int index = connections.getAndIncrement();
                Thread t = new Thread(() -> serve(s, index), "tls-origin-" + index);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SSLSocket s, int index) {
        try (s) {
            s.startHandshake();
            SSLSession session = s.getSession();
            String name = "";
            for (SNIServerName n : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                if (n instanceof SNIHostName host) {
                    name = host.getAsciiName();
                }
            }
            handshakes.add(new Handshake(index, name, session.getProtocol(), certificateChosen.contains(s)));
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String head;
            while ((head = readHead(in)) != null) {
                requests.add(head);
                String target = head.split(" ", 3)[1];
                String body = "sni=" + name + " conn=" + index + " " + target;
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException ignored) {
            // a failed handshake or a closed connection: what some tests are about
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int c;
        while ((c = in.read()) != -1) {
            head.write(c);
            matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    /** The origin's key manager, noting the connections that needed a certificate. */
    private final class Recording extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;

        Recording(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            certificateChosen.add(socket);
            return keys.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return keys.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return keys.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
