# An origin that reads the whole request body before it answers, as a servlet that reads its
# input does: HTTP/1.1 keep-alive, 200 "ok\n" in one write, or with "split" its head and its body in
# two writes, with Nagle's algorithm on (the socket's default): the body then waits for the
# proxy's ACK of the head. One thread per connection (enough for one client).
# Usage: body-origin.py PORT [split]
import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if SPLIT:
            # As http.server's own send_response/end_headers and then a write of the body do.
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n")
            self.wfile.write(b"ok\n")
        else:
            # Head and body in one write.
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
    def log_message(self, *a):
        pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
SPLIT = sys.argv[2:] == ["split"]
S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
