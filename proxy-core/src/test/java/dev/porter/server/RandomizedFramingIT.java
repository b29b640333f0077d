package dev.porter.server;

import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.RecordingUpstream;
import dev.porter.testing.RecordingUpstream.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Mutates valid requests at random (header names, separators, whitespace, chunk sizes,
 * duplicate fields...) and sends each one, followed by a valid request to
 * {@code /smuggled<n>}, in one write on a fresh connection. Every mutation is labelled with
 * what it does to the request: keeps it valid, breaks its head, or breaks its chunked body.
 * The invariant: the upstream only ever receives the requests the client sent as complete,
 * unambiguous messages, byte for byte as meant; after a broken one it receives nothing (a
 * broken head) or at most that request's head on a connection Porter then closes (a broken
 * body), and never the request after it.
 *
 * <p>Seeded: the seed is printed, and {@code -Dporter.seed=N} replays a run.
 */
class RandomizedFramingIT {
    private static final int ITERATIONS = 400;

    private static RecordingUpstream upstream;
    private static PorterFixture porter;

    @BeforeAll
    static void start() throws IOException {
        upstream = new RecordingUpstream((connection, request) ->
                RecordingUpstream.ok(request.target() + " " + request.bodyText().length()));
        porter = PorterFixture.start(1, new String[] {upstream.address()}, "", "", "server-defaults.max-fails = 0");
    }

    @AfterAll
    static void stop() throws IOException {
        porter.close();
        upstream.close();
    }

    /** What a mutation does to the request's meaning. */
    enum Effect { VALID, BAD_HEAD, BAD_VERSION, BAD_BODY }

    enum Mutation {
        NAME_CASE(Effect.VALID, (r, rnd) -> {
            Field f = r.anyField(rnd);
            f.name = rnd.nextBoolean() ? f.name.toUpperCase(Locale.ROOT) : f.name.toLowerCase(Locale.ROOT);
            return true;
        }),
        OWS_AROUND_VALUE(Effect.VALID, (r, rnd) -> {
            Field f = r.anyField(rnd);
            f.before = pick(rnd, "", " ", "\t", " \t ", "  ");
            f.after = pick(rnd, "", " ", "\t", "\t \t");
            return true;
        }),
        EXTRA_FIELD(Effect.VALID, (r, rnd) -> {
            r.fields.add(rnd.nextInt(r.fields.size() + 1), new Field("X-Extra-" + rnd.nextInt(100), "v" + rnd.nextInt(1000)));
            return true;
        }),
        EMPTY_LINE_BEFORE_REQUEST_LINE(Effect.VALID, (r, rnd) -> {
            r.prefix = "\r\n";
            return true;
        }),
        CONTENT_LENGTH_LEADING_ZEROS(Effect.VALID, (r, rnd) -> {
            Field f = r.field("content-length");
            if (f == null) {
                return false;
            }
            f.value = "00" + f.value;
            return true;
        }),
        TRANSFER_ENCODING_CASE(Effect.VALID, (r, rnd) -> {
            Field f = r.field("transfer-encoding");
            if (f == null) {
                return false;
            }
            f.value = pick(rnd, "Chunked", "CHUNKED", "cHuNkEd");
            return true;
        }),
        CHUNK_SIZE_SPELLING(Effect.VALID, (r, rnd) -> {
            Chunk c = r.anyChunk(rnd);
            if (c == null) {
                return false;
            }
            c.size = "000" + c.size.toUpperCase(Locale.ROOT);
            return true;
        }),
        CHUNK_EXTENSION(Effect.VALID, (r, rnd) -> {
            Chunk c = r.anyChunk(rnd);
            if (c == null) {
                return false;
            }
            c.ext = pick(rnd, ";a", ";a=b", ";name=\"quoted value\"", ";x=1;y=2");
            return true;
        }),
        TRAILER_FIELD(Effect.VALID, (r, rnd) -> {
            if (!r.chunked) {
                return false;
            }
            r.trailers.add("X-Trailer-" + rnd.nextInt(10) + ": t");
            return true;
        }),

        DUPLICATE_CONTENT_LENGTH(Effect.BAD_HEAD, (r, rnd) -> {
            Field f = r.field("content-length");
            if (f == null) {
                return false;
            }
            String value = String.valueOf(r.body.length() + (rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(5)));
            r.fields.add(rnd.nextInt(r.fields.size() + 1), new Field("Content-Length", value));
            return true;
        }),
        CONTENT_LENGTH_WITH_TRANSFER_ENCODING(Effect.BAD_HEAD, (r, rnd) -> {
            if (r.chunked) {
                r.fields.add(rnd.nextInt(r.fields.size() + 1), new Field("Content-Length", String.valueOf(r.body.length())));
            } else if (r.field("content-length") != null) {
                r.fields.add(rnd.nextInt(r.fields.size() + 1), new Field("Transfer-Encoding", "chunked"));
            } else {
                return false;
            }
            return true;
        }),
        CONTENT_LENGTH_SYNTAX(Effect.BAD_HEAD, (r, rnd) -> {
            Field f = r.field("content-length");
            if (f == null) {
                return false;
            }
            String n = String.valueOf(r.body.length());
            f.value = pick(rnd, "+" + n, "-" + n, "0x" + Integer.toHexString(r.body.length()), "", n + "," + n,
                    n + " " + n, n + ".0", "1" + "0".repeat(19) + n, "\u00a0" + n, n + "\u000b", n + "\u00a0");
            return true;
        }),
        TRANSFER_ENCODING_OBFUSCATION(Effect.BAD_HEAD, (r, rnd) -> {
            Field f = r.field("transfer-encoding");
            if (f == null) {
                return false;
            }
            f.value = pick(rnd, "\u00a0chunked", "chunked\u00a0", ",chunked", "chunked,", "chunked, chunked",
                    "gzip, chunked", "chunked, identity", "identity", "xchunked", "chunked\u000b", "\u000cchunked",
                    "\"chunked\"", "chunked;q=1", "chunk", "chunked\u0000");
            return true;
        }),
        DUPLICATE_TRANSFER_ENCODING(Effect.BAD_HEAD, (r, rnd) -> {
            if (r.field("transfer-encoding") == null) {
                return false;
            }
            r.fields.add(rnd.nextInt(r.fields.size() + 1), new Field("Transfer-Encoding", pick(rnd, "chunked", "identity")));
            return true;
        }),
        WHITESPACE_BEFORE_COLON(Effect.BAD_HEAD, (r, rnd) -> {
            r.anyField(rnd).sep = pick(rnd, " :", "\t:", "  :");
            return true;
        }),
        NO_COLON(Effect.BAD_HEAD, (r, rnd) -> {
            r.anyField(rnd).sep = pick(rnd, "", " ", "=");
            return true;
        }),
        OBS_FOLD(Effect.BAD_HEAD, (r, rnd) -> {
            Field f = r.anyField(rnd);
            f.after = f.after + pick(rnd, "\r\n ", "\r\n\t") + "continued";
            return true;
        }),
        WHITESPACE_BEFORE_FIRST_FIELD(Effect.BAD_HEAD, (r, rnd) -> {
            r.fields.get(0).name = pick(rnd, " ", "\t") + r.fields.get(0).name;
            return true;
        }),
        NAME_NOT_A_TOKEN(Effect.BAD_HEAD, (r, rnd) -> {
            Field f = r.anyField(rnd);
            int at = rnd.nextInt(f.name.length() + 1);
            f.name = f.name.substring(0, at) + pick(rnd, "(", "@", "/", "[", "\"", "\u00e9", "\u0000", "\u007f", "{", ";")
                    + f.name.substring(at);
            return true;
        }),
        CONTROL_IN_VALUE(Effect.BAD_HEAD, (r, rnd) -> {
            Field f = r.anyField(rnd);
            int at = rnd.nextInt(f.value.length() + 1);
            f.value = f.value.substring(0, at) + pick(rnd, "\u0000", "\r", "\n", "\r ", "\u007f", "\u000b", "\u0001")
                    + f.value.substring(at);
            return true;
        }),
        BARE_LF(Effect.BAD_HEAD, (r, rnd) -> {
            int which = rnd.nextInt(3);
            if (which == 0) {
                r.lineEnd = "\n";
            } else if (which == 1) {
                r.anyField(rnd).end = "\n";
            } else {
                r.headEnd = "\n";
            }
            return true;
        }),
        NO_HOST(Effect.BAD_HEAD, (r, rnd) -> r.fields.removeIf(f -> f.name.equalsIgnoreCase("host"))),
        DUPLICATE_HOST(Effect.BAD_HEAD, (r, rnd) -> {
            if (r.field("host") == null) {
                return false;
            }
            r.fields.add(rnd.nextInt(r.fields.size() + 1), new Field("Host", pick(rnd, "t", "other")));
            return true;
        }),
        TRANSFER_ENCODING_ON_HTTP10(Effect.BAD_HEAD, (r, rnd) -> {
            if (!r.chunked) {
                return false;
            }
            r.version = "HTTP/1.0";
            return true;
        }),
        UNSUPPORTED_VERSION(Effect.BAD_VERSION, (r, rnd) -> {
            r.version = pick(rnd, "HTTP/1.2", "HTTP/2.0", "HTTP/0.9", "HTTP/3.0");
            return true;
        }),

        CHUNK_SIZE_SYNTAX(Effect.BAD_BODY, (r, rnd) -> {
            Chunk c = r.anyChunk(rnd);
            if (c == null) {
                return false;
            }
            c.size = pick(rnd, "0x" + c.size, "-" + c.size, "+" + c.size, " " + c.size, c.size + " ", c.size + "g",
                    c.size + " x", c.size + "\t", "fffffffffffffffff" + c.size, "80000000" + c.size, "");
            return true;
        }),
        CHUNK_SIZE_TOO_SMALL(Effect.BAD_BODY, (r, rnd) -> {
            Chunk c = r.anyChunk(rnd);
            if (c == null || c.data.length() < 2) {
                return false;
            }
            c.size = Integer.toHexString(c.data.length() - 1 - rnd.nextInt(c.data.length() - 1));
            return true;
        }),
        CHUNK_DATA_TERMINATOR(Effect.BAD_BODY, (r, rnd) -> {
            Chunk c = r.anyChunk(rnd);
            if (c == null) {
                return false;
            }
            c.dataEnd = pick(rnd, "", "\n", "\r", "XX", "\r\r\n", " \r\n");
            return true;
        }),
        CHUNK_SIZE_LINE_END(Effect.BAD_BODY, (r, rnd) -> {
            Chunk c = r.anyChunk(rnd);
            if (c == null) {
                return false;
            }
            c.sizeEnd = pick(rnd, "\n", "\r", "\r\r\n");
            return true;
        }),
        CHUNK_EXTENSION_CONTROL(Effect.BAD_BODY, (r, rnd) -> {
            Chunk c = r.anyChunk(rnd);
            if (c == null) {
                return false;
            }
            c.ext = ";a=b" + pick(rnd, "\r", "\n", "\u0000", "\u007f") + "c";
            return true;
        }),
        LAST_CHUNK_BARE_LF(Effect.BAD_BODY, (r, rnd) -> {
            if (!r.chunked) {
                return false;
            }
            if (rnd.nextBoolean()) {
                r.lastChunkEnd = "\n";
            } else {
                r.trailerEnd = "\n";
            }
            return true;
        }),
        BAD_TRAILER(Effect.BAD_BODY, (r, rnd) -> {
            if (!r.chunked) {
                return false;
            }
            r.trailers.add(pick(rnd, "X-T", " X-T: 1", "X T: 1", "X-T: a\u0000b", ": v"));
            return true;
        });

        final Effect effect;
        final BiPredicate<Req, Random> apply;

        Mutation(Effect effect, BiPredicate<Req, Random> apply) {
            this.effect = effect;
            this.apply = apply;
        }
    }

    @Test
    void theUpstreamOnlyEverReceivesCompleteUnambiguousRequests() throws Exception {
        long seed = Long.getLong("porter.seed", System.nanoTime());
        System.out.println("RandomizedFramingIT seed: " + seed + " (replay with -Dporter.seed=" + seed + ")");
        Random rnd = new Random(seed);
        int[] outcomes = new int[Effect.values().length];
        Set<String> forwardable = new java.util.HashSet<>();
        int n = 0;
        for (; n < ITERATIONS; n++) {
            Req req = Req.random(rnd, n);
            // Up to three mutations, those that keep the request valid first, so that a later
            // one never overwrites the piece a breaking one changed.
            Set<Mutation> chosen = EnumSet.noneOf(Mutation.class);
            int wanted = rnd.nextInt(4);
            while (chosen.size() < wanted) {
                chosen.add(Mutation.values()[rnd.nextInt(Mutation.values().length)]);
            }
            Set<Mutation> applied = EnumSet.noneOf(Mutation.class);
            for (Effect pass : Effect.values()) {
                for (Mutation m : chosen) {
                    if (m.effect == pass && m.apply.test(req, rnd)) {
                        applied.add(m);
                    }
                }
            }
            Effect effect = effectOf(applied);
            outcomes[effect.ordinal()]++;
            forwardable.add(req.target);
            if (effect == Effect.VALID) {
                forwardable.add("/smuggled" + n);
            }
            String raw = req.render();
            String context = "seed " + seed + ", iteration " + n + ", " + applied + ":\n" + printable(raw);
            try {
                check(n, raw, req, effect, context);
            } catch (AssertionError | IOException e) {
                throw new AssertionError(context + "\n" + e.getMessage(), e);
            }
        }
        System.out.printf("RandomizedFramingIT: %d requests; valid %d, bad head %d, bad version %d, bad body %d%n",
                n, outcomes[0], outcomes[1], outcomes[2], outcomes[3]);
        assertThat(upstream.received()).as("seed %d: only requests sent as valid messages", seed)
                .allSatisfy(x -> assertThat(forwardable).contains(x.target()));
        // A connection that carried part of a bad body is closed by Porter, never reused.
        for (Received x : upstream.received()) {
            if (!x.complete()) {
                await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).alias("seed " + seed + ": " + x + " closed by Porter")
                        .until(() -> upstream.closedByPeer(x.connection()));
                assertThat(upstream.received()).as("seed %d: nothing after %s on its connection", seed, x)
                        .filteredOn(y -> y.connection() == x.connection())
                        .last().isSameAs(x);
            }
        }
    }

    private static void check(int n, String raw, Req req, Effect effect, String context) throws IOException {
        String smuggled = "/smuggled" + n;
        int before = upstream.received().size();
        try (RawHttp c = porter.connect()) {
            c.socket().setSoTimeout(5000);
            c.send(raw + "GET " + smuggled + " HTTP/1.1\r\nHost: t\r\n\r\n");
            switch (effect) {
                case VALID -> {
                    RawHttp.Response first = c.read();
                    assertThat(first.status).as("status of the valid request").isEqualTo(200);
                    assertThat(first.bodyText()).isEqualTo(req.target + " " + req.body.length());
                    RawHttp.Response second = c.read();
                    assertThat(second.status).isEqualTo(200);
                    assertThat(second.bodyText()).isEqualTo(smuggled + " 0");
                }
                case BAD_HEAD, BAD_VERSION -> {
                    RawHttp.Response r = c.read();
                    if (effect == Effect.BAD_VERSION) {
                        assertThat(r.status).isIn(400, 505);
                    } else {
                        assertThat(r.status).isEqualTo(400);
                    }
                    assertThat(r.header("connection")).isEqualToIgnoringCase("close");
                    assertThat(c.isClosedByPeer()).as("closed after the error").isTrue();
                }
                case BAD_BODY -> {
                    RawHttp.Response r = RequestSmugglingIT.readOrNull(c);
                    if (r != null) {
                        assertThat(r.status).isEqualTo(400);
                        assertThat(r.header("connection")).isEqualToIgnoringCase("close");
                        assertThat(c.isClosedByPeer()).as("closed after the error").isTrue();
                    }
                }
                default -> fail("unknown effect " + effect);
            }
        }
        // The upstream records on its own threads: a late head of an earlier iteration may show
        // up here; the run's end checks those.
        List<Received> seen = upstream.receivedSince(before).stream()
                .filter(x -> x.target().equals(req.target) || x.target().equals(smuggled)).toList();
        switch (effect) {
            case VALID -> {
                assertThat(seen).extracting(Received::target).containsExactly(req.target, smuggled);
                assertThat(seen.get(0).bodyText()).as("the body as the client framed it").isEqualTo(req.body);
                assertThat(seen.get(0).header("x-id")).isEqualTo(String.valueOf(n));
            }
            case BAD_HEAD, BAD_VERSION -> assertThat(seen).as("nothing of a bad head reaches the upstream").isEmpty();
            case BAD_BODY -> {
                assertThat(seen).extracting(Received::target).as("never the request after a bad body")
                        .doesNotContain(smuggled);
                assertThat(seen).as("the upstream never got a complete body").noneMatch(Received::complete);
            }
            default -> fail("unknown effect " + effect);
        }
    }

    /** The strongest effect wins: a bad head is found before the body is read. */
    private static Effect effectOf(Set<Mutation> applied) {
        boolean badHead = applied.stream().anyMatch(m -> m.effect == Effect.BAD_HEAD);
        boolean badVersion = applied.stream().anyMatch(m -> m.effect == Effect.BAD_VERSION);
        if (badVersion) {
            return Effect.BAD_VERSION;
        }
        if (badHead) {
            return Effect.BAD_HEAD;
        }
        return applied.stream().anyMatch(m -> m.effect == Effect.BAD_BODY) ? Effect.BAD_BODY : Effect.VALID;
    }

    private static String printable(String raw) {
        StringBuilder sb = new StringBuilder();
        for (char ch : raw.toCharArray()) {
            if (ch == '\r') {
                sb.append("\\r");
            } else if (ch == '\n') {
                sb.append("\\n\n");
            } else if (ch < 0x20 || ch >= 0x7f) {
                sb.append(String.format("\\x%02x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    @SafeVarargs
    private static <T> T pick(Random rnd, T... choices) {
        return choices[rnd.nextInt(choices.length)];
    }

    /** One header field line, in pieces a mutation can change. */
    static final class Field {
        String name;
        String sep = ":";
        String before = " ";
        String value;
        String after = "";
        String end = "\r\n";

        Field(String name, String value) {
            this.name = name;
            this.value = value;
        }
    }

    /** One chunk of a chunked body, in pieces. */
    static final class Chunk {
        String size;
        String ext = "";
        String sizeEnd = "\r\n";
        String data;
        String dataEnd = "\r\n";

        Chunk(String data) {
            this.data = data;
            this.size = Integer.toHexString(data.length());
        }
    }

    /** A valid request in pieces; {@link #render()} gives its bytes. */
    static final class Req {
        String prefix = "";
        String method;
        String target;
        String version = "HTTP/1.1";
        String lineEnd = "\r\n";
        final List<Field> fields = new ArrayList<>();
        String headEnd = "\r\n";
        boolean chunked;
        String body = "";
        final List<Chunk> chunks = new ArrayList<>();
        String lastChunkEnd = "\r\n";
        final List<String> trailers = new ArrayList<>();
        String trailerEnd = "\r\n";

        static Req random(Random rnd, int n) {
            Req r = new Req();
            r.target = "/r" + n + (rnd.nextBoolean() ? "?q=" + rnd.nextInt(1000) : "");
            r.fields.add(new Field("Host", "t"));
            r.fields.add(new Field("X-Id", String.valueOf(n)));
            if (rnd.nextBoolean()) {
                r.fields.add(new Field("Accept", "*/*"));
            }
            int kind = rnd.nextInt(4);
            if (kind == 0) {
                r.method = pick(rnd, "GET", "DELETE", "OPTIONS");
                return r;
            }
            r.method = pick(rnd, "POST", "PUT", "PATCH");
            // Letters only: no colon, so a chunk read at the wrong offset never parses as a trailer.
            StringBuilder body = new StringBuilder();
            int length = 1 + rnd.nextInt(60);
            for (int i = 0; i < length; i++) {
                body.append((char) ('a' + rnd.nextInt(26)));
            }
            r.body = body.toString();
            if (kind == 1) {
                r.fields.add(rnd.nextInt(r.fields.size() + 1), new Field("Content-Length", String.valueOf(length)));
                return r;
            }
            r.chunked = true;
            r.fields.add(rnd.nextInt(r.fields.size() + 1), new Field("Transfer-Encoding", "chunked"));
            int at = 0;
            while (at < length) {
                int size = 1 + rnd.nextInt(length - at);
                r.chunks.add(new Chunk(r.body.substring(at, at + size)));
                at += size;
            }
            return r;
        }

        Field field(String name) {
            return fields.stream().filter(f -> f.name.equalsIgnoreCase(name)).findFirst().orElse(null);
        }

        Field anyField(Random rnd) {
            return fields.get(rnd.nextInt(fields.size()));
        }

        Chunk anyChunk(Random rnd) {
            return chunks.isEmpty() ? null : chunks.get(rnd.nextInt(chunks.size()));
        }

        String render() {
            StringBuilder sb = new StringBuilder(prefix).append(method).append(' ').append(target).append(' ')
                    .append(version).append(lineEnd);
            for (Field f : fields) {
                sb.append(f.name).append(f.sep).append(f.before).append(f.value).append(f.after).append(f.end);
            }
            sb.append(headEnd);
            if (!chunked) {
                return sb.append(body).toString();
            }
            for (Chunk c : chunks) {
                sb.append(c.size).append(c.ext).append(c.sizeEnd).append(c.data).append(c.dataEnd);
            }
            sb.append('0').append(lastChunkEnd);
            for (String t : trailers) {
                sb.append(t).append("\r\n");
            }
            return sb.append(trailerEnd).toString();
        }
    }
}
