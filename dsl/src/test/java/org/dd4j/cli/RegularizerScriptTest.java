package org.dd4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regularizers from a script at the tiny size of {@link ScriptTest}'s run: a script lambda
 * and a scheduled built-in run end to end into metrics.jsonl, config.json and report.md; a
 * lambda returning a non-scalar or NaN, and an unknown name on the command line, are one-line
 * errors naming the script line or the option (exit status 2).
 */
class RegularizerScriptTest {

  private static String script(Path data, String regularizers, String prelude) {
    return prelude + """
        experiment("tiny-reg") {
            dataset = imageFolder("%s")
            model = convNet(depth = 2, width = 4)
            buffer { experts = 1; epochs = 3; batchTrain = 16 }
            distill {
                ipc = 2; iterations = 4; synSteps = 3; expertEpochs = 1; maxStartEpoch = 2
                lrImg = 100.0; saveEvery = 2
                regularizers = %s
            }
            evaluate { runs = 1; epochs = 2 }
        }
        """.formatted(data.toString().replace("\\", "/"), regularizers);
  }

  @Test
  void aScriptLambdaAndAScheduledPriorRunEndToEnd(@TempDir Path tmp) throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    Path f = Files.writeString(tmp.resolve("reg.exp.kts"), script(data,
        "listOf(meanSquare, totalVariation(weight = cosine(1e-3, steps = 4)))", """
        val meanSquare = regularizer("test-mean-square", weight = 0.01) { tf, s ->
            tf.math.mean(tf.math.square(s.images()), tf.constant(intArrayOf(0, 1, 2, 3)))
        }
        """));
    Path out = tmp.resolve("run");
    CliTest.Run r = CliTest.run("run", f.toString(), "--out", out.toString(), "--no-progress",
        "--threads", "2", "--only", "buffer,distill");
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(out.resolve("distill/metrics.jsonl"));
    assertEquals(4, lines.size());
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    JsonNode last = json.readTree(lines.get(3));
    assertEquals(0.01, first.path("regularizers").path("test-mean-square").path("weight")
        .asDouble(), 1e-12);
    assertTrue(first.path("regularizers").path("test-mean-square").path("value").asDouble()
        > 0);
    assertEquals(1e-3, first.path("regularizers").path("total-variation").path("weight")
        .asDouble(), 1e-15);
    assertEquals(1e-3 * 0.5 * (1 + Math.cos(Math.PI * 3 / 4)), last.path("regularizers")
        .path("total-variation").path("weight").asDouble(), 1e-15);
    assertTrue(first.path("objective").asDouble() > first.path("loss").asDouble());
    JsonNode config = json.readTree(out.resolve("distill/config.json").toFile());
    assertEquals("test-mean-square(weight=0.01) + total-variation(norm=l2, weight=cosine("
        + "base=0.001, steps=4, final=0))", config.path("distill").path("regularizers")
        .asText());
    assertTrue(Files.isRegularFile(out.resolve("distill/chart-objective.png")));
    String report = Files.readString(out.resolve("distill/report.md"));
    assertTrue(report.contains("## Objective terms") && report.contains("test-mean-square"),
        report);
  }

  @Test
  void aLambdaReturningANonScalarNamesItsScriptLine(@TempDir Path tmp) throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    Path f = Files.writeString(tmp.resolve("bad.exp.kts"), script(data, "listOf(perImage)", """
        // a regularizer must be a scalar
        val perImage = regularizer("test-per-image") { tf, s ->
            tf.math.mean(s.images(), tf.constant(intArrayOf(1, 2, 3)))
        }
        """));
    CliTest.Run r = CliTest.run("run", f.toString(), "--out", tmp.resolve("run").toString(),
        "--no-progress", "--threads", "2", "--only", "buffer,distill");
    assertEquals(2, r.code(), r.err());
    String line = r.err().strip().lines().filter(l -> l.contains("must return a scalar"))
        .findFirst().orElse(r.err());
    assertTrue(line.contains("bad.exp.kts:2: regularizer 'test-per-image' must return a"
        + " scalar, got shape [4]"), r.err());
  }

  @Test
  void aLambdaReturningNanNamesItsScriptLine(@TempDir Path tmp) throws Exception {
    Path data = CliTest.tinyImageFolder(tmp.resolve("data"));
    Path f = Files.writeString(tmp.resolve("nan.exp.kts"), script(data, "listOf(broken)", """
        val broken = regularizer("test-nan") { tf, s -> tf.math.log(tf.constant(-1f)) }
        """));
    CliTest.Run r = CliTest.run("run", f.toString(), "--out", tmp.resolve("run").toString(),
        "--no-progress", "--threads", "2", "--only", "buffer,distill");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("nan.exp.kts:1: regularizer 'test-nan' returned NaN at"
        + " iteration 0"), r.err());
  }

  @Test
  void anUnknownOrNegativeRegularizerOnTheCommandLineNamesTheOption(@TempDir Path tmp) {
    CliTest.Run r = CliTest.run("distill", "--buffer", tmp.resolve("nobuf").toString(),
        "--regularizer", "total-variation(weight=1e-3)", "--regularizer", "smoothness");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--regularizers: regularizers: unknown regularizer"
        + " 'smoothness'; known: ["), r.err());
    CliTest.Run neg = CliTest.run("distill", "--buffer", tmp.resolve("nobuf").toString(),
        "--regularizer", "image-l2(weight=-2)");
    assertEquals(2, neg.code(), neg.err());
    assertTrue(neg.err().contains("weight must be finite and >= 0, got -2.0"), neg.err());
    assertFalse(neg.err().contains("\tat "), neg.err());
  }
}
