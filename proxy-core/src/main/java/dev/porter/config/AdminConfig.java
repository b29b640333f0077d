package dev.porter.config;

import java.net.InetSocketAddress;

/** The admin listener (/status, /metrics, /reload); {@code address} is null when it is off. */
public record AdminConfig(boolean enabled, InetSocketAddress address) {
    static AdminConfig from(ConfigReader r) {
        boolean enabled = r.bool("enabled");
        return new AdminConfig(enabled, enabled ? r.address("address") : null);
    }
}
