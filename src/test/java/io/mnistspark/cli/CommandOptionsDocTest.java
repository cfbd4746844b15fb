package io.mnistspark.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every option that a command's {@code --help} shows is documented. The commands are those of {@link Main}'s
 * picocli model, walked at run time, so a new command or option cannot be left out: each command has a
 * section {@code ## `name`} in docs/commands.md that names each of its own options, options every command
 * shares (--help, --version, the inherited --verbose) are named somewhere in docs/, and README.md's command
 * table links every command to its section.
 */
class CommandOptionsDocTest {
    static final Path COMMANDS = Path.of("docs", "commands.md");

    /** The text of the section {@code ## `name`} of docs/commands.md, up to the next second-level heading. */
    static String section(String doc, String command) {
        Matcher m = Pattern.compile("(?m)^## `" + Pattern.quote(command) + "`\\s*$").matcher(doc);
        if (!m.find()) {
            return null;
        }
        Matcher next = Pattern.compile("(?m)^## ").matcher(doc);
        int end = next.find(m.end()) ? next.start() : doc.length();
        return doc.substring(m.end(), end);
    }

    static boolean mentions(String text, String option) {
        return Pattern.compile("(?<![\\w-])" + Pattern.quote(option) + "(?![\\w-])").matcher(text).find();
    }

    static String allDocs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                all.append(Files.readString(f)).append('\n');
            }
        }
        return all.toString();
    }

    /** Every command below the root, with its picocli model. */
    static List<CommandLine> commands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        for (CommandLine sub : root.getSubcommands().values()) {
            if (!all.contains(sub)) {
                all.add(sub);
                all.addAll(commands(sub));
            }
        }
        return all;
    }

    @Test
    void everyOptionOfEveryHelpIsDocumented() throws IOException {
        CommandLine root = new CommandLine(new Main());
        String commands = Files.readString(COMMANDS);
        String docs = allDocs();
        List<String> missing = new ArrayList<>();
        int options = 0;
        List<CommandLine> all = new ArrayList<>(List.of(root));
        all.addAll(commands(root));
        for (CommandLine command : all) {
            String name = command.getCommandName();
            boolean isRoot = command == root;
            String section = isRoot ? null : section(commands, name);
            if (!isRoot && section == null) {
                missing.add(name + ": no section ## `" + name + "` in " + COMMANDS);
                continue;
            }
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (option.hidden()) {
                    continue; // not in --help
                }
                options++;
                String longName = option.longestName();
                boolean shared = isRoot || option.usageHelp() || option.versionHelp() || option.inherited();
                if (shared ? !mentions(docs, longName) : !mentions(section, longName)) {
                    missing.add(name + " " + longName + (shared ? " (in docs/)" : " (in its section of " + COMMANDS + ")"));
                }
            }
        }
        assertTrue(options > 30, "the walk found the commands' options (" + options + ")");
        assertEquals(List.of(), missing, "options of --help that the docs do not mention");
    }

    @Test
    void readmeLinksEveryCommandToItsSection() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> missing = new ArrayList<>();
        for (CommandLine command : commands(new CommandLine(new Main()))) {
            String name = command.getCommandName();
            if (!readme.contains("[`" + name + "`](docs/commands.md#" + name + ")")) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "README.md's command table lacks a line [`name`](docs/commands.md#name) for");
    }
}
