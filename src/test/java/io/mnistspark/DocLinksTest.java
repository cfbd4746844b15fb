package io.mnistspark;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every relative link of README.md and docs/*.md points at a file that exists, and a link to a heading
 * ({@code file.md#anchor}, {@code #anchor}) at a heading or {@code <a id>} that the target has, anchors made
 * as GitHub makes them. Links inside fenced code blocks and to web addresses are not checked.
 */
class DocLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+?)\\s*#*$");
    private static final Pattern ID = Pattern.compile("<a id=\"([^\"]+)\"");

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    /** The anchors of a Markdown file: its headings (duplicates numbered -1, -2, ...) and explicit ids. */
    static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher id = ID.matcher(line);
            while (id.find()) {
                anchors.add(id.group(1));
            }
            Matcher h = HEADING.matcher(line);
            if (!fenced && h.matches()) {
                String slug = slug(h.group(1));
                int n = seen.merge(slug, 1, Integer::sum);
                anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
            }
        }
        return anchors;
    }

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            docs.addAll(files.filter(f -> f.toString().endsWith(".md")).sorted().toList());
        }
        return docs;
    }

    /** The broken links of one document: "file: link (why)". */
    static List<String> brokenLinks(Path doc) throws IOException {
        List<String> broken = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(doc)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(line);
            while (m.find()) {
                String link = m.group(1);
                if (link.matches("[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                int hash = link.indexOf('#');
                String target = hash < 0 ? link : link.substring(0, hash);
                Path file = target.isEmpty() ? doc : doc.toAbsolutePath().getParent().resolve(target).normalize();
                if (!Files.exists(file)) {
                    broken.add(doc + ": " + link + " (no file " + file + ")");
                } else if (hash >= 0 && file.toString().endsWith(".md")
                        && !anchors(file).contains(link.substring(hash + 1))) {
                    broken.add(doc + ": " + link + " (no heading or id '" + link.substring(hash + 1) + "' in " + target + ")");
                }
            }
        }
        return broken;
    }

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        int documents = 0;
        for (Path doc : documents()) {
            documents++;
            broken.addAll(brokenLinks(doc));
        }
        assertTrue(documents >= 8, "README.md and docs/*.md were read (" + documents + ")");
        assertEquals(List.of(), broken, "broken links");
    }

    @Test
    void theCheckSeesABrokenLinkAndAMissingAnchor() throws IOException {
        Path dir = Files.createTempDirectory("doclinks");
        try {
            Path doc = Files.writeString(dir.resolve("a.md"),
                    "# A title: `x`\n[ok](#a-title-x) [gone](missing.md) [bad anchor](#nowhere) [web](https://example.com)\n");
            List<String> broken = brokenLinks(doc);
            assertEquals(2, broken.size(), String.join("\n", broken));
            assertTrue(broken.get(0).contains("missing.md") && broken.get(1).contains("nowhere"), String.join("\n", broken));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
