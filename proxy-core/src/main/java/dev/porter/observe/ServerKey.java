package dev.porter.observe;

import io.micrometer.core.instrument.Tags;

/** One configured server of one upstream group: the key of every per-server meter, and its tags. */
record ServerKey(String upstream, String server) {
    Tags tags() {
        return Tags.of("upstream", upstream, "server", server);
    }
}
