package dev.porter.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;

/**
 * Writes {@code GET /status}'s document as pretty-printed JSON. Null members are left out (the
 * status document's null means "not shown here", as a total's worker); a map's entries are
 * written as they are.
 *
 * <p>Jackson is loaded by the first {@code /status}, not at start: its ~380 classes and the
 * mapper's caches are resident memory that a Porter nobody asks for its status never needs
 * (docs/bench/2026-12-02-startup-rss).
 *
 * <p>Thread-safe: the writer is immutable and made once, by the holder's class initialisation,
 * on whichever thread asks first (the admin-tasks thread that completed the status, as a rule).
 */
final class StatusJson {
    private StatusJson() {
    }

    /** The document for {@code value}, without the final newline. */
    static String write(Object value) throws IOException {
        return Writer.JSON.writeValueAsString(value);
    }

    private static final class Writer {
        static final ObjectWriter JSON = new ObjectMapper()
                .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                        JsonInclude.Include.ALWAYS))
                .writerWithDefaultPrettyPrinter();
    }
}
