package dev.porter.config;

import java.util.Objects;

/** Where the access log goes: "off", "stdout", or a file path. */
public record AccessLogConfig(String path) {
    public AccessLogConfig {
        Objects.requireNonNull(path, "path");
    }

    public boolean enabled() {
        return !path.equals("off");
    }

    static AccessLogConfig from(ConfigReader r) {
        String path = r.string("path").trim();
        if (path.isEmpty()) {
            r.problem("path", "must be \"off\", \"stdout\" or a file path");
        }
        return new AccessLogConfig(path.isEmpty() ? "off" : path);
    }
}
