package org.dd4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.dd4j.experiment.Experiment;
import org.dd4j.experiment.ExperimentSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A {@code dd4j} command line whose command builds an experiment from its options
 * ({@link BufferCommand}); parsed again in a Spark executor, so every task sees the options
 * the driver saw.
 */
record CommandSource(List<String> args) implements ExperimentSource {

  /** The command's name and its own arguments, as the executors parse them again. */
  static CommandSource of(CommandSpec command) {
    List<String> given = command.commandLine().getParseResult().originalArgs();
    List<String> args = new ArrayList<>();
    if (given.isEmpty() || !given.get(0).equals(command.name())) {
      args.add(command.name()); // picocli may give the subcommand's arguments only
    }
    args.addAll(given);
    return new CommandSource(args);
  }

  /** A command that describes its work as an experiment. */
  interface Describes {
    Experiment experiment();
  }

  @Override
  public Experiment load() {
    CommandLine cl = Dd4j.commandLine();
    CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    if (!(parsed.commandSpec().userObject() instanceof Describes d)) {
      throw new IllegalArgumentException("dd4j " + String.join(" ", args)
          + " describes no experiment");
    }
    return d.experiment();
  }
}
