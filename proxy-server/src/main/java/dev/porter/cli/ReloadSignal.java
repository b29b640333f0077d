package dev.porter.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.CompletionStage;

/**
 * SIGHUP reloads the configuration, as it does for nginx: the same path as
 * {@code POST /reload} ({@link ConfigReloader}), which logs whether the reload applied or
 * why it was refused.
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported), the only way the JDK offers. It is
 * optional: a JVM without it, one started with {@code -Xrs}, or a platform without SIGHUP
 * refuses, and Porter runs on without it (POST /reload still works).
 *
 * <p>Thread-safety: the JVM calls {@link #onSignal()} on a short-lived signal thread; the
 * reload itself runs on the admin-tasks thread.
 */
final class ReloadSignal {
    private static final Logger logger = LoggerFactory.getLogger(ReloadSignal.class);
    static final String TRIGGER = "SIGHUP";

    private final ConfigReloader reloader;

    ReloadSignal(ConfigReloader reloader) {
        this.reloader = reloader;
    }

    /**
     * Registers the SIGHUP handler.
     *
     * @return whether the JVM accepted it; a refusal is logged at DEBUG only
     */
    boolean install() {
        try {
            Signal.handle(new Signal("HUP"), signal -> onSignal());
            logger.debug("SIGHUP reloads the configuration");
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError | SecurityException e) {
            // IllegalArgumentException: unknown signal (Windows) or one the JVM keeps (-Xrs).
            logger.debug("SIGHUP handler not installed, reload with POST /reload: {}", e.toString());
            return false;
        }
    }

    /** What the handler does: one reload, logged by {@link ConfigReloader}. */
    CompletionStage<String> onSignal() {
        logger.debug("SIGHUP received: reloading");
        return reloader.reload(TRIGGER);
    }
}
