package org.dd4j.cli;

import java.io.PrintWriter;
import org.dd4j.Dd4jVersion;
import org.dd4j.buffer.BufferSettings;
import org.dd4j.distill.DistillConfig;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.settings.EventSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dd4j} command line: one subcommand per phase. Run {@code dd4j --help}, or
 * {@code dd4j COMMAND --help} for a command's options.
 */
@Command(name = "dd4j", mixinStandardHelpOptions = true,
    versionProvider = Dd4j.Version.class,
    description = "Dataset distillation by trajectory matching (MTT, FTD, AST) on the JVM.",
    subcommands = {RunCommand.class, CheckCommand.class, BufferCommand.class,
        DistillCommand.class, EvaluateCommand.class, InspectCommand.class, ReportCommand.class,
        CompareCommand.class,
        BenchCommand.class, SweepCommand.class, ImportCommand.class, ExportCommand.class,
        CommandLine.HelpCommand.class})
public final class Dd4j {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Dd4j());
    // options derived from the settings' descriptors
    var commands = cl.getSubcommands();
    SettingOptions.add(commands.get("distill").getCommandSpec(), DistillConfig.SCHEMA, "");
    SettingOptions.add(commands.get("distill").getCommandSpec(), EvalConfig.SCHEMA, "eval-");
    SettingOptions.add(commands.get("evaluate").getCommandSpec(), EvalConfig.SCHEMA, "eval-");
    SettingOptions.add(commands.get("evaluate").getCommandSpec(), EventSettings.TENSORBOARD, "");
    SettingOptions.add(commands.get("buffer").getCommandSpec(), BufferSettings.SCHEMA, "");
    // report through the top-level writers, which callers (and tests) may replace
    cl.setExecutionExceptionHandler((e, sub, parsed) -> handle(e, sub, cl.getErr()));
    return cl;
  }

  /**
   * User mistakes (bad values, missing or corrupt files) print one clear line and exit 2;
   * a stack trace only with DD4J_DEBUG=1 or for internal errors.
   */
  private static int handle(Exception e, CommandLine cl, PrintWriter err) {
    boolean debug = "1".equals(System.getenv("DD4J_DEBUG"));
    if (UserErrors.isUserError(e) && !debug) {
      err.println(cl.getColorScheme().errorText(cl.getCommandSpec().qualifiedName() + ": "
          + UserErrors.message(e)));
      err.flush();
      return 2;
    }
    e.printStackTrace(err);
    err.flush();
    return 1;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"dd4j " + Dd4jVersion.VERSION + " (TensorFlow "
          + org.tensorflow.TensorFlow.version() + ")"};
    }
  }
}
