package dev.porter.admin;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/**
 * Writes {@code GET /status}'s document as pretty-printed JSON: records as objects (their
 * components in declaration order, null ones left out: the status document's null means "not
 * shown here", as a total's worker), maps as objects (entries in iteration order, null values
 * written), collections as arrays, strings, numbers and booleans. Nothing else occurs in the
 * document; anything else is refused with its class named.
 *
 * <p>The layout is byte for byte what Jackson's default pretty printer wrote before (two spaces
 * per object level, {@code "name" : value}, arrays on one line {@code [ a, b ]}, empty ones
 * {@code { }} and {@code [ ]}), so that scripts reading {@code /status} see no change; the test
 * compares the two on a full document. Why not Jackson itself: its ~380 classes are the largest
 * part of the class-data sharing archive that only {@code /status} needs, and the archive is
 * resident in full from the start (the JVM relocates every pointer in it), whether or not a
 * class in it is ever used (docs/bench/2026-12-02-startup-rss).
 *
 * <p>Stateless and thread-safe; the record accessors found by reflection are cached per class.
 */
final class StatusJson {
    private static final String INDENT = "  ";
    private static final String HEX = "0123456789ABCDEF";

    /** Per record class, its components' accessors, in declaration order. */
    private static final ClassValue<Method[]> ACCESSORS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Method[] accessors = new Method[components.length];
            for (int i = 0; i < components.length; i++) {
                accessors[i] = components[i].getAccessor();
                // A record declared non-public (a test's) is read all the same, as Jackson did.
                accessors[i].trySetAccessible();
            }
            return accessors;
        }
    };

    private StatusJson() {
    }

    /**
     * The document for {@code value}, without a final newline.
     *
     * @throws IllegalArgumentException for a value of a type the document does not use
     */
    static String write(Object value) {
        StringBuilder out = new StringBuilder(8192);
        value(out, value, 0);
        return out.toString();
    }

    private static void value(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence s) {
            string(out, s);
        } else if (value instanceof Number || value instanceof Boolean) {
            // Integer, Long, Double as Java prints them, which is what Jackson writes too.
            number(out, value);
        } else if (value instanceof Map<?, ?> map) {
            map(out, map, depth);
        } else if (value instanceof Collection<?> list) {
            array(out, list, depth);
        } else if (value.getClass().isRecord()) {
            record(out, value, depth);
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " in /status");
        }
    }

    private static void number(StringBuilder out, Object value) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            // JSON has no literal for them; Jackson writes them as strings.
            string(out, d.toString());
        } else {
            out.append(value);
        }
    }

    private static void record(StringBuilder out, Object record, int depth) {
        int fields = 0;
        out.append('{');
        for (Method accessor : ACCESSORS.get(record.getClass())) {
            Object v = get(accessor, record);
            if (v != null) {
                name(out, accessor.getName(), fields++, depth + 1);
                value(out, v, depth + 1);
            }
        }
        end(out, '}', fields, depth);
    }

    private static void map(StringBuilder out, Map<?, ?> map, int depth) {
        int fields = 0;
        out.append('{');
        for (Map.Entry<?, ?> e : map.entrySet()) {
            name(out, String.valueOf(e.getKey()), fields++, depth + 1);
            value(out, e.getValue(), depth + 1);
        }
        end(out, '}', fields, depth);
    }

    /** Arrays stay on one line, their objects indented by the level they are at. */
    private static void array(StringBuilder out, Collection<?> list, int depth) {
        out.append('[');
        boolean first = true;
        for (Object v : list) {
            out.append(first ? " " : ", ");
            first = false;
            value(out, v, depth);
        }
        out.append(" ]");
    }

    private static void name(StringBuilder out, String name, int index, int depth) {
        if (index > 0) {
            out.append(',');
        }
        newline(out, depth);
        string(out, name);
        out.append(" : ");
    }

    private static void end(StringBuilder out, char close, int fields, int depth) {
        if (fields == 0) {
            out.append(' ');
        } else {
            newline(out, depth);
        }
        out.append(close);
    }

    private static void newline(StringBuilder out, int depth) {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append(INDENT);
        }
    }

    /** RFC 8259 §7: quote, backslash and control characters escaped; everything else as is. */
    private static void string(StringBuilder out, CharSequence s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static Object get(Method accessor, Object record) {
        try {
            return accessor.invoke(record);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot read " + accessor + ": " + e.getMessage(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("cannot read " + accessor + ": " + e.getCause(), e.getCause());
        }
    }
}
