package dev.porter.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.Map;

/**
 * Refuses keys that {@code reference.conf} does not know. {@code Config.checkValid} only
 * checks the types of known keys (lightbend/config#396), so a typo such as
 * {@code keepalive-timout} would otherwise be silently ignored and the default used.
 */
final class UnknownKeys {
    private UnknownKeys() {
    }

    /**
     * Reports every key of {@code given} (the operator's object) that {@code template} does not
     * have, recursing into objects. Objects whose keys are the operator's own (header maps) are
     * not checked.
     */
    static void check(ConfigObject given, ConfigObject template, String prefix, ConfigProblems problems) {
        for (Map.Entry<String, ConfigValue> e : given.entrySet()) {
            String key = e.getKey();
            ConfigValue templateValue = template.get(key);
            if (templateValue == null) {
                problems.add(e.getValue().origin(), prefix + key, "unknown key" + suggestion(key, template));
            } else if (templateValue.valueType() == ConfigValueType.OBJECT
                    && e.getValue().valueType() == ConfigValueType.OBJECT
                    && !((ConfigObject) templateValue).isEmpty()) {
                check((ConfigObject) e.getValue(), (ConfigObject) templateValue, prefix + key + ".", problems);
            }
        }
    }

    private static String suggestion(String key, ConfigObject template) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : template.keySet()) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= 3 ? " (did you mean \"" + best + "\"?)" : "";
    }

    /** Levenshtein distance; keys are short, so the quadratic table is fine. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
