package dev.porter.config;

import java.util.List;

/** A configuration that Porter refuses to run, with every problem found in it. */
public final class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    InvalidConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem: "file: line: key: what is wrong". */
    public List<String> problems() {
        return problems;
    }
}
