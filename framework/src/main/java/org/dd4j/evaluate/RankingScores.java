package org.dd4j.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.dd4j.Accuracy;
import org.dd4j.Dd4jVersion;
import org.dd4j.augment.DsaConfig;
import org.dd4j.data.DataChoice;
import org.dd4j.data.Dataset;
import org.dd4j.data.ImageSet;
import org.dd4j.distill.SoftLabelInit;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.storage.AtomicFiles;
import org.dd4j.storage.BufferData;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.ConfigJson;
import org.dd4j.storage.RunLayout;
import org.dd4j.synthetic.SyntheticSet;

/**
 * DD-Ranking's scores of a synthetic set on one architecture (spec: issue 12, piece 5), run
 * as their {@code compute_metrics} runs them: K rounds, each with its own seed and one
 * network per measurement -
 *
 * <ol>
 *   <li>the set with its class (hard) labels, no augmentation (their {@code
 *       use_aug_for_hard = False}), lr searched when {@code lr_search};
 *   <li>the set under its own evaluation (soft labels if it carries them, the protocol's DSA)
 *       at its syn_lr;
 *   <li>a random real subset of the same ipc, drawn anew each round, under the same
 *       evaluation (soft labels from the buffer's expert 0, final checkpoint, when the set
 *       has them: DD-Ranking's teacher logits), lr_teacher or searched;
 *   <li>2 and 3 again without augmentation (ARS);
 * </ol>
 *
 * then {@link DdRankingScores.Summary} with the full-data accuracy of {@link #fullData}.
 *
 * <p>dd4j's protocol stays MTT's (test after the last epoch); DD-Ranking keeps the best of
 * a test every 20 epochs.
 */
final class RankingScores {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SessionOptions session;
  private final PrintWriter log;

  RankingScores(SessionOptions session, PrintWriter log) {
    this.session = session;
    this.log = log;
  }

  /**
   * The scores as Markdown (a heading, the full-data accuracy and its source, the scores and
   * the per-round accuracies).
   *
   * @param set the synthetic set (its label logits, if any, are its soft labels)
   * @param synLr the learning rate of its networks
   * @param baselineLr the learning rate of the random subsets' networks (lr_teacher)
   * @param bufferDir the buffer whose expert gives the random subsets soft labels
   * @throws IllegalArgumentException if the full-data accuracy is neither given, cached nor
   *     to be measured, or a soft-label set has no buffer to label the random subsets
   */
  String markdown(EvaluationPlan plan, DataChoice data, Dataset d, String modelLabel,
      Model model, SyntheticSet set, double synLr, double baselineLr, Path bufferDir) {
    ScoreConfig sc = plan.scores();
    EvalConfig cfg = plan.config();
    BufferDirectory teacher = null;
    if (set.hasSoftLabels()) {
      if (bufferDir == null || !Files.isRegularFile(bufferDir.resolve(RunLayout.MANIFEST))) {
        throw new IllegalArgumentException("IOR of a set with soft labels needs soft labels "
            + "for the random subsets too: give --buffer DIR (its expert 0 labels them)");
      }
      teacher = BufferData.openMatching(bufferDir, data, d);
    }
    Source full = fullData(data, d, modelLabel, model, cfg, sc, baselineLr);
    SplittableRandom seeds = new SplittableRandom(cfg.seed());
    List<DdRankingScores.Round> rounds = new ArrayList<>();
    StringBuilder perRound = new StringBuilder();
    for (int k = 0; k < cfg.runs(); k++) {
      EvalConfig round = cfg.withRuns(1, seeds.nextLong());
      EvalConfig noAug = round.withDsa(DsaConfig.NONE);
      ImageSet images = set.toImageSet();
      SyntheticSet rdm = SyntheticSet.initReal(d.train(), set.numClasses(), set.ipc(),
          baselineLr, new SplittableRandom(round.seed()));
      float[] rdmLogits = teacher == null ? null : SoftLabelInit.initialize(
          SoftLabelInit.FIRST_EXPERT, rdm, ModelRegistry.create(teacher.manifest().model()),
          teacher, List.of(0), session);
      // the five measurements; some coincide (a hard-label set's "syn, no DSA" is its "syn
      // hard, no DSA"; without DSA in the protocol, "no DSA" is the protocol) and train once
      float[] synLogits = set.labelLogits();
      Measurement synHardM = new Measurement(false, false, sc.lrSearch(), noAug);
      Measurement synAnyM = new Measurement(false, synLogits != null, false, round);
      Measurement rdmAnyM = new Measurement(true, rdmLogits != null, sc.lrSearch(), round);
      Measurement synNoAugM = new Measurement(false, synLogits != null, false, noAug);
      Measurement rdmNoAugM = new Measurement(true, rdmLogits != null, sc.lrSearch(), noAug);
      int distinct = new HashSet<>(List.of(synHardM, synAnyM, rdmAnyM, synNoAugM, rdmNoAugM))
          .size();
      ImageSet rdmImages = rdm.toImageSet();
      Map<Measurement, Double> done = new HashMap<>();
      Function<Measurement, Double> measure = m -> done.computeIfAbsent(m,
          x -> accuracy(model, x.random() ? rdmImages : images,
              !x.soft() ? null : x.random() ? rdmLogits : synLogits,
              x.random() ? baselineLr : synLr, x.search(), d, x.config()));
      log.printf("DD-Ranking round %d/%d (seed %d): %d measurements%s...%n", k + 1,
          cfg.runs(), round.seed(), distinct, sc.lrSearch()
              ? ", those on hard labels or random images over 5 learning rates" : "");
      log.flush();
      double synHard = measure.apply(synHardM);
      double synAny = measure.apply(synAnyM);
      double rdmAny = measure.apply(rdmAnyM);
      double synNoAug = measure.apply(synNoAugM);
      double rdmNoAug = measure.apply(rdmNoAugM);
      rounds.add(new DdRankingScores.Round(synHard, synAny, rdmAny, synNoAug, rdmNoAug));
      perRound.append(String.format("| %d | %d | %s | %s | %s | %s | %s |%n", k + 1,
          round.seed(), Accuracy.percent(synHard), Accuracy.percent(synAny),
          Accuracy.percent(rdmAny), Accuracy.percent(synNoAug), Accuracy.percent(rdmNoAug)));
    }
    DdRankingScores.Summary s = DdRankingScores.Summary.of(full.accuracy(), rounds,
        sc.lrsWeight(), sc.arsWeight());
    log.printf("DD-Ranking scores on %s: %s%n", modelLabel, s);
    log.flush();
    String any = Evaluator.labelsUsed(set.hasSoftLabels(), cfg);
    return String.format("%n## DD-Ranking scores (%s, %d rounds)%n%n"
        + "Full training set, hard labels: %s %% (%s). The set's own evaluation: %s labels,"
        + " DSA %s, lr %.4g; random real subsets (a new one each round): lr %s%s. w = %.2f,"
        + " gamma = %.2f; accuracies as fractions, LRS and ARS in [0, 1] shown x 100.%n%n"
        + "| score | mean +- std |%n|---|---|%n| HLR | %s |%n| IOR | %s |%n| LRS | %s |%n"
        + "| ARS | %s |%n%n"
        + "| round | seed | syn hard, no DSA | syn | random | syn, no DSA | random, no DSA |%n"
        + "|---|---|---|---|---|---|---|%n%s",
        modelLabel, cfg.runs(), Accuracy.percent(full.accuracy()), full.source(), any,
        cfg.dsaStrategy(),
        synLr, sc.lrSearch() ? "best of " + java.util.Arrays.toString(ScoreConfig.LR_GRID)
            : String.format("%.4g", baselineLr),
        teacher != null ? ", soft labels from expert 0 of " + bufferDir : "",
        sc.lrsWeight(), sc.arsWeight(), DdRankingScores.Summary.pct(s.hlr()),
        DdRankingScores.Summary.pct(s.ior()), DdRankingScores.Summary.pct(s.lrs()),
        DdRankingScores.Summary.pct(s.ars()), perRound);
  }

  /**
   * One network's test accuracy; with {@code search}, the best over {@link
   * ScoreConfig#LR_GRID} (DD-Ranking's per-round search; a diverged lr counts as 0).
   *
   * @throws IllegalStateException if a network diverges without a search
   */
  private double accuracy(Model model, ImageSet train, float[] logits, double lr,
      boolean search, Dataset d, EvalConfig cfg) {
    if (!search) {
      return Evaluator.evaluate(model, train, logits, lr, d.test(), cfg, session).mean();
    }
    double best = 0;
    for (double candidate : ScoreConfig.LR_GRID) {
      try {
        best = Math.max(best, Evaluator.evaluate(model, train, logits, candidate, d.test(),
            cfg, session).mean());
      } catch (IllegalStateException diverged) {
        log.printf("  lr %.4g diverged: %s%n", candidate, diverged.getMessage());
      }
    }
    return best;
  }

  /**
   * What a round's measurement trains: the set or the random subset, on soft labels or not,
   * with DD-Ranking's learning-rate search or not, under which evaluation settings.
   */
  private record Measurement(boolean random, boolean soft, boolean search, EvalConfig config) {}

  /** A full-data accuracy and where it came from. */
  record Source(double accuracy, String source) {}

  /**
   * Acc(real, hard): the setting if given, else the cache file of this (dataset,
   * preprocessing, model, protocol), else measured and cached when {@code full_data} is on:
   * K networks trained on the whole training set with hard labels, no DSA, lr_teacher,
   * the protocol's epochs, batch, momentum and weight decay.
   */
  Source fullData(DataChoice data, Dataset d, String modelLabel, Model model, EvalConfig cfg,
      ScoreConfig sc, double lr) {
    if (sc.fullDataAccuracy() > 0) {
      return new Source(sc.fullDataAccuracy(), "given");
    }
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("dataset", data.dataset());
    key.put("preprocess", data.resolvedPreprocess());
    key.put("model", modelLabel);
    key.put("train_images", d.train().count());
    key.put("labels", "hard");
    key.put("epochs", cfg.epochs());
    key.put("batch_train", cfg.batchSize());
    key.put("lr", lr);
    key.put("momentum", cfg.momentum());
    key.put("weight_decay", cfg.weightDecay());
    key.put("dsa", DsaConfig.NONE);
    key.put("runs", cfg.runs());
    key.put("seed", cfg.seed());
    String keyText = ConfigJson.line(key);
    Path file = RunLayout.fullDataAccuracy(String.format("%s-%s-%s",
        data.dataset(), modelLabel, hash(keyText)).replaceAll("[^A-Za-z0-9._-]", "_"));
    if (Files.isRegularFile(file)) {
      try {
        var node = JSON.readTree(Files.readString(file));
        if (!node.has("settings") || !node.has("mean")) {
          throw new IllegalArgumentException(file + " is not a full-data accuracy file "
              + "(no settings or mean); delete it and measure again");
        }
        if (!JSON.readTree(keyText).equals(node.get("settings"))) {
          throw new IllegalArgumentException(file + " was measured with other settings "
              + node.get("settings") + "; delete it and measure again");
        }
        return new Source(node.get("mean").asDouble(), "cached in " + file);
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot read " + file, ex);
      }
    }
    if (!sc.measureFullData()) {
      throw new IllegalArgumentException(String.format("HLR needs the accuracy of %s "
          + "networks trained on all %d training images of %s with hard labels, and none is "
          + "cached at %s: measure it once with --eval-full-data (DSL: fullData = true; %d "
          + "networks x %d epochs on the full set), or give --eval-full-data-accuracy 0.xx",
          modelLabel, d.train().count(), data.dataset(), file, cfg.runs(),
          cfg.epochs()));
    }
    log.printf("measuring the full-data accuracy: %d %s networks x %d epochs on %d images..."
        + "%n", cfg.runs(), modelLabel, cfg.epochs(), d.train().count());
    log.flush();
    EvalResult r = Evaluator.evaluate(model, d.train(), null, lr, d.test(),
        cfg.withDsa(DsaConfig.NONE), session);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("settings", key);
    out.put("mean", r.mean());
    out.put("std", r.std());
    out.put("accuracies", r.accuracies());
    out.put("dd4j_version", Dd4jVersion.VERSION);
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.writeString(file, ConfigJson.text(out));
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + file, ex);
    }
    log.printf("full-data accuracy %s, cached in %s%n", r, file);
    log.flush();
    return new Source(r.mean(), "measured now, cached in " + file);
  }

  private static String hash(String text) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(
          text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
