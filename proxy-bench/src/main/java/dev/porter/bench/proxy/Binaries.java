package dev.porter.bench.proxy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the external programs the bench can use (nginx, haproxy, wrk, ab): on PATH, else in /usr/sbin or /usr/bin. */
public final class Binaries {
    private Binaries() {
    }

    public static Optional<Path> locate(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/usr/bin"}) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
