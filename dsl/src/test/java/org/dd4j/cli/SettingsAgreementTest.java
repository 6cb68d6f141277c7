package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.buffer.BufferSettings;
import org.dd4j.distill.DistillConfig;
import org.dd4j.distill.IntermediateMatching;
import org.dd4j.distill.Regularizers;
import org.dd4j.dsl.ExperimentScripts;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.experiment.Experiment;
import org.dd4j.experiment.MethodPreset;
import org.dd4j.schedule.Schedule;
import org.dd4j.settings.Setting;
import org.dd4j.settings.Settings;
import org.dd4j.settings.SettingsSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every setting is described once ({@link Setting}); the command line, the DSL, {@code --set}
 * and the Java builders must agree with that description on each setting's name and default.
 */
class SettingsAgreementTest {

  /** A schema, the commands that take it (with their option prefix) and its DSL builder. */
  private record Phase(SettingsSchema schema, Map<String, String> commands, String dslBuilder) {}

  private static final List<Phase> PHASES = List.of(
      new Phase(DistillConfig.SCHEMA, Map.of("distill", ""), "org.dd4j.dsl.DistillBuilder"),
      new Phase(EvalConfig.SCHEMA, Map.of("distill", "eval-", "evaluate", "eval-"),
          "org.dd4j.dsl.EvaluateBuilder"),
      new Phase(BufferSettings.SCHEMA, Map.of("buffer", ""), "org.dd4j.dsl.BufferBuilder"));

  /** Issue 20: CIFAR-10's default preprocessing was ZCA in the DSL and normalize on the CLI. */
  @Test
  void theCommandLineAndTheDslTakeTheSameDefaultPreprocessing() {
    for (String ds : new String[] {"cifar10", "cifar10-jpeg", "cifar100", "fashion-mnist"}) {
      CommandLine.ParseResult buffer = Dd4j.commandLine().parseArgs("buffer", "--dataset", ds)
          .subcommand();
      String cli = ((BufferCommand) buffer.commandSpec().userObject()).data.preprocessing();
      String dsl = org.dd4j.dsl.FactoriesKt.dataset(ds, null).getDefaultPreprocess();
      assertEquals(org.dd4j.data.PreprocessingKinds.defaultFor(ds), cli, ds);
      assertEquals(cli, dsl, ds);
    }
    assertEquals("zca", org.dd4j.dsl.FactoriesKt.cifar10(null).getDefaultPreprocess());
    assertEquals("normalize", org.dd4j.dsl.FactoriesKt.cifar10(false).getDefaultPreprocess());
  }

  @Test
  void commandLineOptionsCarryEverySettingWithItsNameAndDefault() {
    CommandLine cl = Dd4j.commandLine();
    for (Phase p : PHASES) {
      for (Map.Entry<String, String> c : p.commands().entrySet()) {
        CommandSpec spec = cl.getSubcommands().get(c.getKey()).getCommandSpec();
        for (Setting<?> s : p.schema().settings()) {
          String name = "--" + c.getValue() + s.name().replace('_', '-');
          OptionSpec o = spec.findOption(name);
          assertNotNull(o, c.getKey() + " has no option " + name);
          String doc = String.join(" ", o.description());
          assertTrue(doc.contains("(default: " + format(s) + ")"), name + ": " + doc);
        }
      }
    }
  }

  /** Passing each setting's default on the command line gives the same settings as none. */
  @Test
  void commandLineValuesParseBackToTheDefaults() {
    for (Phase p : PHASES) {
      for (Map.Entry<String, String> c : p.commands().entrySet()) {
        List<String> args = new java.util.ArrayList<>(List.of(c.getKey()));
        for (Setting<?> s : p.schema().settings()) {
          args.add("--" + c.getValue() + s.name().replace('_', '-') + "=" + format(s));
        }
        if (c.getKey().equals("distill")) {
          args.add("--buffer=unused");
        }
        Settings.Builder b = Settings.builder(p.schema());
        SettingOptions.apply(Dd4j.commandLine().parseArgs(args.toArray(String[]::new))
            .subcommand(), p.schema(), c.getValue(), b::parse);
        assertEquals(Settings.defaults(p.schema()).toPlainMap(), b.build().toPlainMap(),
            c.getKey() + " " + p.schema().phase());
      }
    }
  }

  /** The DSL's property for each setting exists and starts at the declared default. */
  @Test
  void dslPropertiesAreTheSettingsWithTheirDefaults() throws Exception {
    for (Phase p : PHASES) {
      Class<?> builder = Class.forName(p.dslBuilder());
      Constructor<?> ctor = builder.getDeclaredConstructor();
      ctor.setAccessible(true);
      Object instance = ctor.newInstance();
      for (Setting<?> s : p.schema().settings()) {
        String prop = Character.toUpperCase(s.camelName().charAt(0))
            + s.camelName().substring(1);
        Method getter = builder.getMethod("get" + prop);
        assertNotNull(findSetter(builder, "set" + prop), p.dslBuilder() + " set" + prop);
        Object value = getter.invoke(instance);
        Object want = s.defaultValue() instanceof Schedule sc ? sc.at(0) : s.defaultValue();
        assertEquals(String.valueOf(want), String.valueOf(value), p.dslBuilder() + "." + prop);
      }
    }
  }

  /**
   * A script without settings resolves to the Java defaults; {@code --set} takes every
   * setting by its snake_case name with its default's text, and a piece by its description.
   */
  @Test
  void scriptDefaultsAndSetOverridesAgreeWithJava(@TempDir Path tmp) throws Exception {
    Path f = Files.writeString(tmp.resolve("defaults.exp.kts"), """
        experiment("defaults") {
            buffer { }
            distill { }
            evaluate { }
        }
        """);
    Experiment plain = ExperimentScripts.INSTANCE.load(f, Map.of());
    assertEquals(DistillConfig.builder().build(), plain.distill().config());
    assertEquals(EvalConfig.from(Settings.defaults(EvalConfig.SCHEMA)),
        plain.evaluation().config());
    assertEquals(BufferSettings.EXPERTS.defaultValue(), plain.buffer().experts());
    assertEquals(BufferSettings.EPOCHS.defaultValue(), plain.buffer().training().epochs());
    assertEquals(BufferSettings.BATCH_TRAIN.defaultValue(),
        plain.buffer().training().batchSize());

    Map<String, String> sets = new LinkedHashMap<>();
    for (Phase p : PHASES) {
      for (Setting<?> s : p.schema().settings()) {
        sets.put(p.schema().phase() + "." + s.name(), format(s));
      }
    }
    Experiment same = ExperimentScripts.INSTANCE.load(f, sets);
    assertEquals(plain.distill().config(), same.distill().config());
    assertEquals(plain.evaluation().config(), same.evaluation().config());
    assertEquals(plain.buffer(), same.buffer());

    Experiment changed = ExperimentScripts.INSTANCE.load(f, Map.of(
        "distill.min_start_epoch", "3", "distill.matchingLoss",
        "intermediate(weights=linear)", "evaluate.num_eval", "2"));
    assertEquals(3, changed.distill().config().get(DistillConfig.MIN_START_EPOCH));
    assertEquals(IntermediateMatching.linear(), changed.distill().config().matchingLoss());
    assertEquals(2, changed.evaluation().config().runs());
  }

  /**
   * A method preset gives the same settings from Java, the command line ({@code --method}),
   * the DSL ({@code method = method(...)}) and {@code --set method=...}; explicit settings
   * win in each.
   */
  @Test
  void methodPresetsAgreeAcrossFrontEnds(@TempDir Path tmp) throws Exception {
    Path f = Files.writeString(tmp.resolve("m.exp.kts"), """
        experiment("m") {
            buffer { }
            distill { }
        }
        """);
    for (String name : MethodPreset.REGISTRY.names()) {
      MethodPreset m = MethodPreset.named(name);
      DistillConfig.Builder java = DistillConfig.builder();
      m.applyToDistill(java);

      CommandLine.ParseResult distill = Dd4j.commandLine().parseArgs("distill", "--method",
          name, "--buffer=unused").subcommand();
      DistillConfig.Builder cli = DistillConfig.builder();
      SettingOptions.apply(distill, DistillConfig.SCHEMA, "", cli::parse);
      ((DistillCommand) distill.commandSpec().userObject()).method.preset().orElseThrow()
          .applyToDistill(cli);
      assertEquals(java.build(), cli.build(), name + ": --method");

      Experiment set = ExperimentScripts.INSTANCE.load(f, Map.of("method", name));
      assertEquals(java.build(), set.distill().config(), name + ": --set");
      assertEquals(name, set.distill().methodLabel(), name + ": --set method label");
      var t = set.buffer().training();
      assertEquals(m.expertRecipe().training(t.epochs(), t.batchSize(), t.augment()).describe(),
          t.describe(), name + ": --set buffer");
    }
    // the DSL property (one script: each compile takes seconds)
    Path script = Files.writeString(tmp.resolve("ast.exp.kts"), """
        experiment("m") {
            method = method("ast")
            buffer { }
            distill { }
        }
        """);
    Experiment dsl = ExperimentScripts.INSTANCE.load(script, Map.of());
    Experiment set = ExperimentScripts.INSTANCE.load(f, Map.of("method", "ast"));
    assertEquals(set.distill().config(), dsl.distill().config());
    assertEquals("ast", dsl.distill().methodLabel());
    assertEquals(set.buffer().training().describe(), dsl.buffer().training().describe());
    // explicit settings win: in the script, with --set, and on the command line
    Path own = Files.writeString(tmp.resolve("own.exp.kts"), """
        experiment("m") {
            buffer { }
            distill { innerMomentum = 0.5 }
            method = method("ast")
        }
        """);
    Experiment ownAst = ExperimentScripts.INSTANCE.load(own, Map.of());
    assertEquals(0.5, ownAst.distill().config().get(DistillConfig.INNER_MOMENTUM));
    assertEquals("custom (ast; inner_momentum=0.5)", ownAst.distill().methodLabel());
    assertEquals(0.2, ExperimentScripts.INSTANCE.load(f, Map.of("method", "ast",
        "distill.inner_momentum", "0.2")).distill().config().get(DistillConfig.INNER_MOMENTUM));
    CommandLine.ParseResult cl = Dd4j.commandLine().parseArgs("distill", "--method", "ast",
        "--inner-momentum", "0", "--buffer=unused").subcommand();
    DistillConfig.Builder b = DistillConfig.builder();
    SettingOptions.apply(cl, DistillConfig.SCHEMA, "", b::parse);
    ((DistillCommand) cl.commandSpec().userObject()).method.preset().orElseThrow()
        .applyToDistill(b);
    assertEquals(0.0, b.build().get(DistillConfig.INNER_MOMENTUM));
  }

  /**
   * Regularizers from Java, the command line (repeated {@code --regularizer}), {@code --set}
   * and the DSL describe the same terms the same way, which config.json stores.
   */
  @Test
  void regularizersAgreeAcrossFrontEnds(@TempDir Path tmp) throws Exception {
    String tv = "total-variation(norm=l1, weight=0.001)";
    String l2 = "image-l2(weight=cosine(base=1e-4, steps=50, final=0))";
    String text = tv + " + " + l2;
    DistillConfig java = DistillConfig.builder().regularizers(Regularizers.parse(text)).build();
    String described = java.regularizers().describe();
    assertEquals("total-variation(norm=l1, weight=0.001) + image-l2(weight=cosine("
        + "base=1.0E-4, steps=50, final=0))", described);
    assertEquals(described, java.toMap().get("regularizers")); // config.json, checkpoints

    CommandLine.ParseResult cl = Dd4j.commandLine().parseArgs("distill", "--regularizer", tv,
        "--regularizer", l2, "--buffer=unused").subcommand();
    DistillConfig.Builder b = DistillConfig.builder();
    SettingOptions.apply(cl, DistillConfig.SCHEMA, "", b::parse);
    assertEquals(java, b.build(), "--regularizer");

    Path f = Files.writeString(tmp.resolve("r.exp.kts"), """
        experiment("r") {
            buffer { }
            distill {
                regularizers = listOf(totalVariation(weight = 1e-3, norm = "l1"),
                    imageL2(weight = cosine(1e-4, steps = 50)))
            }
        }
        """);
    Experiment dsl = ExperimentScripts.INSTANCE.load(f, Map.of());
    assertEquals(described, dsl.distill().config().regularizers().describe(), "DSL");
    assertEquals(java, dsl.distill().config(), "DSL");
    Experiment set = ExperimentScripts.INSTANCE.load(f, Map.of("distill.regularizers",
        described));
    assertEquals(java, set.distill().config(), "--set");
    Experiment none = ExperimentScripts.INSTANCE.load(f, Map.of("distill.regularizer",
        "none"));
    assertEquals(DistillConfig.builder().build(), none.distill().config(), "--set none");
  }

  private static <T> String format(Setting<T> s) {
    return s.format(s.defaultValue());
  }

  private static Method findSetter(Class<?> c, String name) {
    for (Method m : c.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == 1) {
        return m;
      }
    }
    return null;
  }
}
