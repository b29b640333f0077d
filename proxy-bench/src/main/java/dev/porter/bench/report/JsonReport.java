package dev.porter.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes and reads {@link BenchReport} and {@link ModeResult} as JSON (Jackson). */
public final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String toJson(Object value) throws IOException {
        return JSON.writeValueAsString(value);
    }

    public static void write(Object value, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), value);
    }

    /** Reads a mode result a namespaced child wrote. */
    public static ModeResult readMode(Path file) throws IOException {
        return JSON.readValue(file.toFile(), ModeResult.class);
    }
}
