package io.mnistspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md cannot drift from the schema ({@code mnist-spark-reference.conf}) and its validator:
 * its key table has a row for every leaf key with the schema's default, no row for a key the schema does not
 * have, and every choice the validator accepts for a key is named in that key's row. Key names written in
 * backticks anywhere in README.md and docs/ must exist in the schema.
 */
class ConfigurationDocTest {
    static final Path DOC = Path.of("docs", "configuration.md");
    /** A row of the key table: | `key` | `default` | allowed |. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| `([^`]*)` \\| (.*) \\|$");
    private static final Pattern CHOICES = Pattern.compile("expected one of (.+)$");

    private final Config schema = new ConfigLoader().schema();

    /** Every leaf key of the schema with its default as a configuration file writes it: [30], sigmoid, 3.0. */
    static Map<String, String> schemaDefaults(Config schema) {
        Map<String, String> defaults = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> leaf : schema.entrySet()) {
            ConfigValue value = leaf.getValue();
            defaults.put(leaf.getKey(), value.valueType() == ConfigValueType.STRING ? (String) value.unwrapped()
                    : value.render(ConfigRenderOptions.concise()));
        }
        return defaults;
    }

    /** The rows of the key table: key -> {default, allowed}, for keys of the schema's sections. */
    private Map<String, String[]> documentedRows() throws IOException {
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher m = ROW.matcher(line);
            if (m.matches() && m.group(1).contains(".")
                    && schema.root().containsKey(m.group(1).substring(0, m.group(1).indexOf('.')))) {
                String[] previous = rows.put(m.group(1), new String[]{m.group(2), m.group(3)});
                assertTrue(previous == null, DOC + ": " + m.group(1) + " has two rows");
            }
        }
        return rows;
    }

    @Test
    void everySchemaKeyIsDocumentedWithItsDefault() throws IOException {
        Map<String, String[]> rows = documentedRows();
        List<String> problems = new ArrayList<>();
        schemaDefaults(schema).forEach((key, value) -> {
            String[] row = rows.get(key);
            if (row == null) {
                problems.add(key + " (default " + value + ") has no row");
            } else if (!sameDefault(row[0], value)) {
                problems.add(key + ": documented default `" + row[0] + "`, the schema's is `" + value + "`");
            }
        });
        assertTrue(problems.isEmpty(), DOC + " is out of date with mnist-spark-reference.conf: "
                + String.join("; ", problems));
    }

    /** The documented default equals the schema's: numbers by value (HOCON renders 3.0 as 3), the rest as text. */
    static boolean sameDefault(String documented, String schemaValue) {
        if (documented.equals(schemaValue)) {
            return true;
        }
        try {
            return Double.parseDouble(documented) == Double.parseDouble(schemaValue);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Test
    void everyDocumentedKeyExists() throws IOException {
        List<String> gone = documentedRows().keySet().stream().filter(key -> !schema.hasPath(key)).toList();
        assertEquals(List.of(), gone, DOC + " documents keys the schema does not have: delete their rows");
    }

    @Test
    void everyAllowedChoiceIsDocumented() throws IOException {
        Map<String, String[]> rows = documentedRows();
        List<String> problems = new ArrayList<>();
        int choiceKeys = 0;
        for (String key : schemaDefaults(schema).keySet()) {
            String message;
            try {
                new ConfigLoader().override(key, "\"no-such-choice\"").load();
                continue;
            } catch (InvalidConfigException e) {
                message = e.getMessage();
            }
            Matcher m = CHOICES.matcher(message);
            if (!m.find()) {
                continue; // not a choice key: the validator asked for a number, list or boolean
            }
            choiceKeys++;
            String[] row = rows.get(key);
            for (String choice : m.group(1).split(", ")) {
                if (row == null || !row[1].contains("`" + choice + "`")) {
                    problems.add(key + " accepts `" + choice + "`");
                }
            }
        }
        assertTrue(choiceKeys >= 5, "the validator's choice keys were found (" + choiceKeys + ")");
        assertTrue(problems.isEmpty(), DOC + ": the allowed column misses " + String.join("; ", problems));
    }

    /**
     * `training.learning-rate` in any doc names a key (or section) that exists; `spark.` is left out (Spark has keys of
     * its own there) and so are file names (`network.py`).
     */
    @Test
    void keysNamedInTheDocsExist() throws IOException {
        Pattern named = Pattern.compile("`((?:network|training|checkpoint)(?:\\.[a-z0-9-]+)+)`");
        List<String> unknown = new ArrayList<>();
        List<Path> docs;
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            docs = new ArrayList<>(files.filter(f -> f.toString().endsWith(".md")).sorted().toList());
        }
        docs.add(0, Path.of("README.md"));
        for (Path doc : docs) {
            Matcher m = named.matcher(Files.readString(doc));
            while (m.find()) {
                if (!m.group(1).matches(".*\\.(py|conf|zip|json|csv|md|html|png)") && !schema.hasPathOrNull(m.group(1))) {
                    unknown.add(doc + ": " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), unknown, "configuration keys named in the docs that the schema does not have");
    }
}
