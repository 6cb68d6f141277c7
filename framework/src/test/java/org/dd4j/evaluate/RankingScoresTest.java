package org.dd4j.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dd4j.augment.DsaConfig;
import org.dd4j.data.DataChoice;
import org.dd4j.data.Dataset;
import org.dd4j.data.ToyBands;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ConvNet;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelChoice;
import org.dd4j.models.ModelSpec;
import org.dd4j.synthetic.SyntheticSet;
import org.junit.jupiter.api.Test;

/**
 * DD-Ranking's rounds as {@link RankingScores} runs them: K rounds seeded one after another
 * from the protocol's seed, and in each round the five measurements that coincide trained
 * once (a hard-label set's "syn, no DSA" is its "syn hard, no DSA"; without DSA in the
 * protocol "no DSA" is the protocol itself).
 */
class RankingScoresTest {

  private static final Dataset DATA = new Dataset("bands", ToyBands.bands(64, 1),
      ToyBands.bands(32, 2), List.of("a", "b", "c", "d"));
  private static final Model MODEL = new ConvNet(ModelSpec.convNet(1, 4,
      new InputShape(8, 8, 1), 4));
  private static final Pattern ROW = Pattern.compile(
      "^\\| (\\d+) \\| (-?\\d+) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\| "
          + "([\\d.]+) \\|$", Pattern.MULTILINE);

  private record Scored(String markdown, String log) {}

  private static Scored score(String dsa) {
    EvalConfig cfg = new EvalConfig(1, 16, 0.9, 0.0005, 2, dsa, 7);
    ScoreConfig sc = new ScoreConfig(EvalConfig.DD_RANKING, 0.5, 0.5, false, 0.9, false);
    EvaluationPlan plan = new EvaluationPlan(List.of(new ModelChoice("convnet", 1, 4)), cfg,
        false, sc);
    SyntheticSet set = SyntheticSet.initReal(DATA.train(), 4, 2, 0.01,
        new SplittableRandom(3));
    StringWriter log = new StringWriter();
    String md = new RankingScores(SessionOptions.threads(2), new PrintWriter(log, true))
        .markdown(plan, new DataChoice("image-folder:/unused", "none"), DATA, "convnet-d1-w4",
            MODEL, set, 0.01, 0.01, null);
    return new Scored(md, log.toString());
  }

  @Test
  void roundsAreSeededInTurnFromTheProtocolsSeedAndTrainEachDistinctMeasurementOnce() {
    SplittableRandom seeds = new SplittableRandom(7);
    long first = seeds.nextLong();
    long second = seeds.nextLong();

    Scored plain = score(DsaConfig.NONE);
    // no DSA, hard labels: syn hard = syn = syn no DSA, random = random no DSA
    assertTrue(plain.log().contains("DD-Ranking round 1/2 (seed " + first + "): 2 "
        + "measurements..."), plain.log());
    assertTrue(plain.log().contains("DD-Ranking round 2/2 (seed " + second + "): 2 "
        + "measurements..."), plain.log());
    Matcher m = ROW.matcher(plain.markdown());
    for (int k = 1; k <= 2; k++) {
      assertTrue(m.find(), plain.markdown());
      assertEquals(String.valueOf(k), m.group(1));
      assertEquals(String.valueOf(k == 1 ? first : second), m.group(2));
      assertEquals(m.group(3), m.group(4), "syn hard, no DSA = syn");
      assertEquals(m.group(3), m.group(6), "syn hard, no DSA = syn, no DSA");
      assertEquals(m.group(5), m.group(7), "random = random, no DSA");
    }
    assertTrue(!m.find(), "two rounds: " + plain.markdown());

    Scored dsa = score(DsaConfig.DEFAULT_STRATEGY);
    // with DSA: syn hard no DSA = syn no DSA; syn, random, random no DSA on their own
    assertTrue(dsa.log().contains("DD-Ranking round 1/2 (seed " + first + "): 4 "
        + "measurements..."), dsa.log());
    Matcher d = ROW.matcher(dsa.markdown());
    assertTrue(d.find(), dsa.markdown());
    assertEquals(d.group(3), d.group(6), "syn hard, no DSA = syn, no DSA");
  }
}
