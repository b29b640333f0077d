package dev.porter.config;

import com.typesafe.config.ConfigOrigin;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem found while reading a configuration, so that `porter check`
 * can report all of them at once (as `nginx -t` would) instead of the first only.
 * Each problem reads "file: line: key: what is wrong".
 */
final class ConfigProblems {
    private final List<String> problems = new ArrayList<>();

    void add(ConfigOrigin origin, String path, String message) {
        problems.add(where(origin) + path + ": " + message);
    }

    void add(String message) {
        problems.add(message);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    List<String> asList() {
        return List.copyOf(problems);
    }

    static String where(ConfigOrigin origin) {
        // A description already reads "file: line" for values that have one.
        return origin == null ? "" : origin.description() + ": ";
    }
}
