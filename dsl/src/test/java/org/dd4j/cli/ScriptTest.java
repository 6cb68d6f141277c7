package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dd4j.distill.BalancedInnerLoss;
import org.dd4j.distill.FilterWisePerturbation;
import org.dd4j.distill.MatchingLosses;
import org.dd4j.dsl.ExperimentScripts;
import org.dd4j.dsl.ScriptException;
import org.dd4j.experiment.Experiment;
import org.dd4j.train.Gsam;
import org.dd4j.train.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .exp.kts DSL: every script in scripts/ compiles and validates, settings reach the Java
 * records, overrides apply, and a user's mistakes come back as file:line(:column) messages.
 * Each compile costs seconds, so the scripts here are few and small.
 */
class ScriptTest {

  private static final Path SCRIPTS = Path.of("..", "scripts");

  private static Path write(Path dir, String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void everyExampleScriptCompilesAndValidates() throws Exception {
    List<Path> scripts = new ArrayList<>();
    try (var s = Files.walk(SCRIPTS)) { // scripts/compare/ too
      s.filter(p -> p.getFileName().toString().endsWith(".exp.kts")).sorted()
          .forEach(scripts::add);
    }
    assertTrue(scripts.size() >= 3, "scripts found: " + scripts);
    for (Path p : scripts) {
      Experiment e = ExperimentScripts.INSTANCE.load(p, Map.of());
      assertFalse(e.name().isEmpty(), p.toString());
    }
  }

  @Test
  void settingsComposeIntoTheJavaSpec(@TempDir Path tmp) throws Exception {
    Path f = write(tmp, "ast.exp.kts", """
        val cosine = matchingLoss("test-cosine") { tf, m ->
            tf.math.sub(tf.constant(1f), tf.constant(1f))
        }
        experiment("ast-test") {
            dataset = fashionMnist()
            model = convNet(width = 16)
            buffer {
                experts = 3; epochs = 6
                optimizer = gsam(base = sgd(lr = 0.02, momentum = 0.9), rho = 0.05, alpha = 0.5)
                objective = crossEntropy(scale = linearRamp(0.5, 1.0, epochs = 5)) +
                    gradientPenalty(mu = 1.0)
            }
            distill {
                ipc = 2; synSteps = 4; expertEpochs = 2; maxStartEpoch = 3; iterations = 7
                matchingLoss = normalizedParameterDistance() + 0.5 * intermediateMatching("linear") + cosine
                innerLoss = balancedInnerLoss()
                startPerturbation = filterWisePerturbation(rho = 0.1)
                emaDecay = 0.999
                lrImg(step(1000.0, 0.5, 4))
            }
            evaluate { runs = 2; epochs = 10; models = listOf(convNet(width = 16), model("alexnet")) }
        }
        """);
    Experiment e = ExperimentScripts.INSTANCE.load(f,
        Map.of("distill.iterations", "11", "model.width", "8", "evaluate.runs", "3"));
    assertEquals("ast-test", e.name());
    assertEquals(8, e.model().width());
    Training t = e.buffer().training();
    assertEquals(6, t.epochs());
    Gsam g = (Gsam) t.optimizer();
    assertEquals(0.05, g.rho());
    assertEquals(0.5, g.alpha());
    assertEquals(0.9, g.base().momentum());
    assertTrue(t.objective().needsSecondOrder(), "gradient penalty is second order");
    var c = e.distill().config();
    assertEquals(11, c.iterations());
    assertEquals(2, c.ipc());
    assertTrue(c.matchingLoss().describe().contains("intermediate"), c.matchingLoss().describe());
    assertTrue(c.matchingLoss().describe().contains("test-cosine"), c.matchingLoss().describe());
    assertTrue(MatchingLosses.names().contains("test-cosine"));
    assertEquals(BalancedInnerLoss.paper(), c.innerLoss());
    assertEquals(FilterWisePerturbation.paper(), c.startPerturbation());
    assertEquals(0.999, c.emaDecay());
    assertEquals(1000.0, c.lrImg());
    assertEquals(500.0, c.lrImgSchedule().at(4));
    assertEquals(1e-5, c.lrLrSchedule().at(100)); // a constant when not scheduled
    assertEquals(java.util.List.of(1000.0, 1000.0, 500.0, 500.0, 500.0),
        c.toMap().get("lr_img_schedule")); // sampled at 0, 2, 5, 8 and 10 of 11 iterations
    assertEquals(3, e.evaluation().config().runs());
    assertEquals(2, e.evaluation().models().size());
    assertEquals("alexnet", e.evaluation().models().get(1).name());
  }

  @Test
  void mistakesNameTheFileLineAndField(@TempDir Path tmp) throws Exception {
    Path broken = write(tmp, "broken.exp.kts", """
        experiment("broken") {
            dataset = fashionMnst()
        }
        """);
    ScriptException compile = assertThrows(ScriptException.class,
        () -> ExperimentScripts.INSTANCE.load(broken, Map.of()));
    assertTrue(compile.getMessage().contains("broken.exp.kts:2:15: error: Unresolved reference"),
        compile.getMessage());

    Path invalid = write(tmp, "invalid.exp.kts", """
        experiment("invalid") {
            buffer { epochs = 4 }

            distill { ipc = 0 }
        }
        """);
    ScriptException value = assertThrows(ScriptException.class,
        () -> ExperimentScripts.INSTANCE.load(invalid, Map.of()));
    assertTrue(value.getMessage().contains("invalid.exp.kts:4: ipc must be > 0, got 0"),
        value.getMessage());

    Path thrower = write(tmp, "thrower.exp.kts", """
        val sizes = listOf(1, 2)

        val third = sizes[2]
        experiment("never") { }
        """);
    ScriptException runtime = assertThrows(ScriptException.class,
        () -> ExperimentScripts.INSTANCE.load(thrower, Map.of()));
    assertTrue(runtime.getMessage().startsWith(thrower + ":3: "), runtime.getMessage());
    assertTrue(runtime.getMessage().contains("IndexOutOfBounds"), runtime.getMessage());

    Path none = write(tmp, "none.exp.kts", "val x = 1\n");
    assertTrue(assertThrows(ScriptException.class,
        () -> ExperimentScripts.INSTANCE.load(none, Map.of())).getMessage()
        .contains("describes no experiment"));
  }

  @Test
  void overridesAreCheckedAgainstTheSettings(@TempDir Path tmp) throws Exception {
    Path f = write(tmp, "small.exp.kts", """
        experiment("small") {
            buffer { epochs = 4 }
            distill { maxStartEpoch = 2 }
        }
        """);
    var unknown = assertThrows(ScriptException.class,
        () -> ExperimentScripts.INSTANCE.load(f, Map.of("distill.ipcc", "3")));
    assertTrue(unknown.getMessage().contains("no such setting; distill has")
        && unknown.getMessage().contains("synSteps"), unknown.getMessage());
    var type = assertThrows(ScriptException.class,
        () -> ExperimentScripts.INSTANCE.load(f, Map.of("distill.syn_steps", "many")));
    assertTrue(type.getMessage().contains("expected an integer"), type.getMessage());
    var missing = assertThrows(ScriptException.class,
        () -> ExperimentScripts.INSTANCE.load(f, Map.of("evaluate.runs", "2")));
    assertTrue(missing.getMessage().contains("no evaluate { } block"), missing.getMessage());
    var tooLong = assertThrows(ScriptException.class,
        () -> ExperimentScripts.INSTANCE.load(f, Map.of("distill.max_start_epoch", "4")));
    assertTrue(tooLong.getMessage().contains("buffer.epochs = 4"), tooLong.getMessage());
    assertEquals(7, ExperimentScripts.INSTANCE.load(f, Map.of("distill.syn_steps", "7"))
        .distill().config().synSteps());
    // the one TensorBoard switch, offered in both phases: on by default
    assertTrue(ExperimentScripts.INSTANCE.load(f, Map.of()).buffer().tensorboard());
    assertFalse(ExperimentScripts.INSTANCE.load(f, Map.of("buffer.tensorboard", "false"))
        .buffer().tensorboard());
    assertFalse(ExperimentScripts.INSTANCE.load(f, Map.of("distill.tensorboard", "false"))
        .distill().config().get(org.dd4j.distill.DistillConfig.TENSORBOARD));
  }

  @Test
  void checkCommandReportsOkAndErrors(@TempDir Path tmp) throws Exception {
    Path ok = write(tmp, "ok.exp.kts", "experiment(\"ok\") { }\n");
    CliTest.Run good = CliTest.run("check", ok.toString());
    assertEquals(0, good.code(), good.err());
    assertTrue(good.out().contains("ok (experiment ok)"), good.out());
    CliTest.Run bad = CliTest.run("check", tmp.resolve("missing.exp.kts").toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("no such script file"), bad.err());
  }

  /** dd4j run end to end on a tiny image folder; a second run reuses every phase. */
  @Test
  void runExecutesThePhasesAndReusesThem(@TempDir Path tmp) throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    Path f = write(tmp, "tiny.exp.kts", """
        experiment("tiny") {
            dataset = imageFolder("%s")
            model = convNet(depth = 2, width = 4)
            buffer { experts = 1; epochs = 3; batchTrain = 16 }
            distill {
                ipc = 2; iterations = 4; synSteps = 3; expertEpochs = 1; maxStartEpoch = 2
                lrImg = 100.0; saveEvery = 2
            }
            evaluate { runs = 2; epochs = 3 }
        }
        """.formatted(data.toString().replace("\\", "/")));
    Path out = tmp.resolve("run");
    CliTest.Run first = CliTest.run("run", f.toString(), "--out", out.toString(),
        "--no-progress", "--threads", "2");
    assertEquals(0, first.code(), first.err());
    for (String file : new String[] {"experiment.json", "distill/summary.md",
        "distill/eval.jsonl",
        "buffer/expert-00000.arrow", "buffer/report.md", "distill/syn-final.arrow",
        "distill/report.md", "distill/checkpoint.bin"}) {
      assertTrue(Files.isRegularFile(out.resolve(file)), file + " missing");
    }
    String summary = Files.readString(out.resolve("distill/summary.md"));
    assertTrue(summary.contains("| distilled | convnet") && summary.contains("| random real"),
        summary);
    assertTrue(first.out().contains("| distilled |"), first.out());

    CliTest.Run again = CliTest.run("run", f.toString(), "--out", out.toString(),
        "--no-progress", "--threads", "2", "--only", "buffer,distill");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("expert 0 already complete, reused"), again.err());
    assertTrue(again.err().contains("is finished; reusing it"), again.err());
  }
}
