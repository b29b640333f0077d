package dev.porter.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Porter's version for {@code --version} and the startup log line: the jar manifest's
 * {@code Implementation-Version} when running from porter.jar, else {@code version.properties},
 * which Maven filters with {@code ${project.version}} (so it works from classes in tests too).
 */
final class PorterVersion implements IVersionProvider {

    static String get() {
        String fromManifest = PorterVersion.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        try (InputStream in = PorterVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "porter " + get(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        };
    }
}
