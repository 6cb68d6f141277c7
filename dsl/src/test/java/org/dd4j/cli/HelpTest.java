package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's and subcommand's {@code --help} prints without a picocli warning (e.g.
 * "Could not format" for a lone '%' in a description, which picocli reads as a format).
 */
class HelpTest {

  /** {@code cl} and every command below it. */
  static List<CommandLine> tree(CommandLine cl) {
    List<CommandLine> out = new ArrayList<>(List.of(cl));
    for (CommandLine sub : cl.getSubcommands().values()) {
      out.addAll(tree(sub));
    }
    return out;
  }

  @Test
  void everyHelpPrintsWithoutAPicocliWarning() {
    PrintStream stderr = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    List<String> seen = new ArrayList<>();
    try {
      System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
      for (CommandLine cl : tree(Dd4j.commandLine())) {
        String name = cl.getCommandSpec().qualifiedName();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // through --help as a user types it, with picocli's writers captured too
        List<String> args = new ArrayList<>(List.of(name.split(" ")));
        args.remove(0);
        args.add("--help");
        CommandLine root = Dd4j.commandLine();
        root.setOut(new PrintWriter(out));
        root.setErr(new PrintWriter(err));
        assertEquals(0, root.execute(args.toArray(String[]::new)), name + ": " + err);
        String text = out + "\n" + err;
        assertTrue(text.contains("Usage: " + name), name + ":\n" + text);
        for (String bad : List.of("Could not format", "[picocli WARN]", "%n")) {
          assertTrue(!text.contains(bad), name + " --help prints '" + bad + "':\n" + text);
        }
        seen.add(name);
      }
    } finally {
      System.setErr(stderr);
    }
    String w = warnings.toString(StandardCharsets.UTF_8);
    assertTrue(!w.contains("picocli") && !w.contains("Could not format"), w);
    assertTrue(seen.contains("dd4j bench distill"), seen.toString());
    System.out.println("help checked: " + seen);
  }
}
