package org.dd4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.dd4j.data.Dataset;
import org.dd4j.data.ImageSet;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.evaluate.CrossArchitectureEvaluator;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.evaluate.EvalResult;
import org.dd4j.evaluate.Evaluator;
import org.dd4j.models.InputShape;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.models.ModelSpec;
import org.dd4j.select.Coreset;
import org.dd4j.select.CoresetRegistry;
import org.dd4j.select.CoresetSelection;
import org.dd4j.select.EmbeddingLayer;
import org.dd4j.select.ExpertEmbedder;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.ConfigJson;
import org.dd4j.storage.SyntheticSetFile;
import org.dd4j.synthetic.SyntheticSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dd4j evaluate}: the evaluation protocol on a saved synthetic set and baselines. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train fresh networks on a small training set (a distilled synthetic set "
        + "and/or random real images at the same ipc) and test them on the real test set: "
        + "mean +- std over K networks (MTT's protocol: SGD momentum 0.9, weight decay 5e-4, "
        + "batch 256, lr x0.1 at half the epochs, DSA). With --models, on each of several "
        + "architectures (cross-architecture evaluation), baseline included."})
final class EvaluateCommand implements Callable<Integer> {

  @Option(names = {"--syn"}, paramLabel = "FILE",
      description = "A synthetic set saved by dd4j distill (.arrow); trained with its learned "
          + "syn_lr unless --lr is given.")
  Path syn;

  @Option(names = {"--ipc"}, description = "Images per class of the baselines "
      + "(default: the synthetic set's).")
  Integer ipc;

  @Option(names = {"--baseline"}, defaultValue = "random", split = ",",
      paramLabel = "NAME",
      description = "Coreset baselines at the same ipc, comma-separated: random (random real "
          + "images, seeded), herding, k-center, k-means (AST's representative selection), "
          + "any registered coreset, or none; all but random embed the real images with "
          + "--buffer's expert (default: ${DEFAULT-VALUE}).")
  List<String> baselines;

  @Option(names = {"--buffer"}, paramLabel = "DIR",
      description = "Buffer whose expert (--embed-expert, final checkpoint) embeds the real "
          + "images for herding, k-center and k-means; trained on this dataset and "
          + "preprocessing.")
  Path buffer;

  @Option(names = {"--embed-expert"}, defaultValue = "0",
      description = "Expert of --buffer used for the embeddings (default: ${DEFAULT-VALUE}).")
  int embedExpert;

  @Option(names = {"--embedding"}, defaultValue = "features",
      description = "features (penultimate layer) or logits (default: ${DEFAULT-VALUE}).")
  String embedding;

  @Option(names = {"--lr"}, description = "Learning rate for the synthetic set's networks "
      + "(default: its learned syn_lr).")
  Double lr;

  @Option(names = {"--lr-teacher", "--lr_teacher"}, defaultValue = "0.01",
      description = "Learning rate for the baseline's networks (default: ${DEFAULT-VALUE}).")
  double lrTeacher;

  @Option(names = {"--models"}, split = ",", paramLabel = "NAME",
      description = "Evaluate on each of these architectures, e.g. "
          + "convnet,alexnet,vgg11,resnet18 (default: --model alone). --depth and --width "
          + "apply to the ConvNet ones.")
  List<String> models;

  @Option(names = {"--model-lr"}, split = ",", paramLabel = "NAME=LR",
      description = "Learning rate of the synthetic set's networks for some architectures, "
          + "e.g. resnet18=0.005 (default: --lr, else the learned syn_lr).")
  Map<String, Double> modelLr = new LinkedHashMap<>();

  @Option(names = {"--baseline-seed"}, defaultValue = "0",
      description = "Seed of the baselines' draws (random images; k-means seeding) "
          + "(default: ${DEFAULT-VALUE}).")
  long baselineSeed;

  @Option(names = {"--results"}, paramLabel = "FILE",
      description = "Also append each row, as soon as it is known, to this JSON Lines file "
          + "(set, model, ipc, lr, mean, std, accuracies; or diverged): a long "
          + "cross-architecture run keeps what it finished if it is stopped.")
  Path results;

  @Mixin DataOptions data;
  @Mixin ModelOptions model;
  @Mixin RuntimeOptions runtime;
  @Spec CommandSpec command;

  /**
   * One row of the results table.
   *
   * @param model the architecture's label, e.g. "convnet-d3-w128", "vgg11"
   */
  record Row(String set, int ipc, String model, double lr, EvalResult result, String failure) {

    Row(String set, int ipc, String model, double lr, EvalResult result) {
      this(set, ipc, model, lr, result, null);
    }

    String accuracy() {
      return CrossArchitectureEvaluator.ArchitectureResult.describe(lr, result, failure);
    }

    /** One JSON object, as a --results line. */
    String json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("set", set);
      m.put("model", model);
      m.put("ipc", ipc);
      m.put("lr", lr);
      if (failure != null) {
        m.put("diverged", failure);
      } else {
        m.put("mean", result.mean());
        m.put("std", result.std());
        m.put("accuracies", result.accuracies());
      }
      return ConfigJson.line(m);
    }
  }

  @Override
  public Integer call() {
    if (syn == null && ipc == null) {
      throw new IllegalArgumentException("give --syn FILE, or --ipc N for the baseline alone");
    }
    List<Coreset> coresets = new ArrayList<>();
    for (String b : baselines) {
      if (!b.equals("none")) {
        coresets.add(CoresetRegistry.named(b)); // throws for an unknown name
      }
    }
    boolean needsBuffer = coresets.stream().anyMatch(Coreset::usesEmbeddings);
    if (needsBuffer && buffer == null) {
      throw new IllegalArgumentException("--baseline " + String.join(",", baselines)
          + " needs --buffer DIR: a trained expert embeds the real images");
    }
    PrintWriter log = command.commandLine().getErr();
    PrintWriter out = command.commandLine().getOut();
    PreprocessingKinds.Prepared prepared = data.load(log);
    Dataset d = prepared.data();
    Map<String, Model> nets = new LinkedHashMap<>(); // label -> model, in table order
    for (String name : models == null ? List.of(model.model) : models) {
      ModelSpec spec = model.spec(name.strip(), d);
      nets.put(ModelRegistry.label(spec), ModelRegistry.create(spec));
    }
    Map<String, Double> setLrs = new LinkedHashMap<>(); // keyed by label, as nets
    for (Map.Entry<String, Double> e : modelLr.entrySet()) {
      String label = ModelRegistry.label(model.spec(e.getKey(), d));
      if (!nets.containsKey(label)) {
        throw new IllegalArgumentException("--model-lr names " + e.getKey()
            + ", which is not among the evaluated architectures " + nets.keySet());
      }
      setLrs.put(label, e.getValue());
    }
    EvalConfig cfg = DistillCommand.evalConfig(command);
    List<Row> rows = new ArrayList<>();
    int k = ipc == null ? -1 : ipc;
    if (syn != null) {
      SyntheticSet set = SyntheticSetFile.read(syn).set();
      k = ipc == null ? set.ipc() : ipc;
      double setLr = lr != null ? lr : set.synLr();
      addRows(rows, "distilled " + syn.getFileName(), set.ipc(), nets, set.toImageSet(),
          setLr, setLrs, d, cfg, log);
    }
    if (!coresets.isEmpty()) {
      if (k < 1) {
        throw new IllegalArgumentException("--ipc must be >= 1, got " + k);
      }
      try (ExpertEmbedder embedder = needsBuffer ? embedder(d, log) : null) {
        for (Coreset c : coresets) {
          int[] picked = CoresetSelection.select(c, d.train(), d.numClasses(), k, embedder,
              new SplittableRandom(baselineSeed));
          String name = c.id().equals("random") ? "random real (seed " + baselineSeed + ")"
              : c.usesEmbeddings() ? c.id() + " (expert " + embedExpert + ", " + embedding + ")"
              : c.id();
          addRows(rows, name, k, nets, d.train().select(picked), lrTeacher, Map.of(), d, cfg,
              log);
        }
      }
    }
    out.println(table(d, cfg, rows));
    out.flush();
    return 0;
  }

  /** The embedder of --buffer's expert, after checking the buffer fits the loaded data. */
  private ExpertEmbedder embedder(Dataset d, PrintWriter log) {
    BufferDirectory buf = BufferDirectory.open(buffer);
    var manifest = buf.manifest();
    Object bufferPrep = manifest.preprocessing().get("name");
    if (!manifest.dataset().equals(data.dataset)
        || !String.valueOf(bufferPrep).equals(data.preprocessing())) {
      throw new IllegalArgumentException(String.format("buffer %s was trained on %s with %s "
              + "preprocessing, but this run loads %s with %s", buffer, manifest.dataset(),
          bufferPrep, data.dataset, data.preprocessing()));
    }
    ModelSpec ms = manifest.model();
    InputShape in = new InputShape(d.train().height(), d.train().width(),
        d.train().channels());
    if (!ms.input().equals(in) || ms.numClasses() != d.numClasses()) {
      throw new IllegalArgumentException(String.format("buffer %s's model takes %s images "
          + "and %d classes, the data has %s and %d", buffer, ms.input(), ms.numClasses(), in,
          d.numClasses()));
    }
    log.printf("embedding the training images with expert %d of %s (%s)...%n", embedExpert,
        buffer, embedding);
    log.flush();
    return ExpertEmbedder.fromBuffer(buf, embedExpert, EmbeddingLayer.named(embedding),
        runtime.sessionOptions());
  }

  private void addRows(List<Row> rows, String setName, int setIpc, Map<String, Model> nets,
      ImageSet train, double learningRate, Map<String, Double> lrOverrides, Dataset d,
      EvalConfig cfg, PrintWriter log) {
    List<CrossArchitectureEvaluator.ArchitectureResult> archRows =
        CrossArchitectureEvaluator.evaluate(nets, train, learningRate, lrOverrides, d.test(),
            cfg, runtime.sessionOptions(), new CrossArchitectureEvaluator.Listener() {
              @Override
              public void onArchitectureStart(String name, Model m, double lr) {
                log.printf("%s: training %d %s networks on %d images for %d epochs "
                    + "(lr %.4g)...%n", setName, cfg.runs(), name, train.count(),
                    cfg.epochs(), lr);
                log.flush();
              }

              @Override
              public void onArchitectureDone(CrossArchitectureEvaluator.ArchitectureResult r) {
                Row row = row(setName, setIpc, r);
                log.printf("%s on %s: %s%n", setName, r.architecture(), row.accuracy());
                log.flush();
                if (results != null) {
                  appendResult(row);
                }
              }
            });
    for (CrossArchitectureEvaluator.ArchitectureResult r : archRows) {
      rows.add(row(setName, setIpc, r));
    }
  }

  private static Row row(String setName, int setIpc,
      CrossArchitectureEvaluator.ArchitectureResult r) {
    return new Row(setName, setIpc, r.architecture(), r.learningRate(), r.result(),
        r.failure());
  }

  private void appendResult(Row row) {
    try {
      Files.writeString(results, row.json() + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to --results file " + results, e);
    }
  }

  static String table(Dataset d, EvalConfig cfg, List<Row> rows) {
    StringBuilder s = new StringBuilder(String.format(
        "evaluation on %s test (%d images), %d epochs, %d networks each%n",
        d.name(), d.test().count(), cfg.epochs(), cfg.runs()));
    s.append(String.format("  %-34s %5s  %-18s %10s  %s%n", "set", "ipc", "model", "lr",
        "test accuracy"));
    for (Row r : rows) {
      s.append(String.format("  %-34s %5d  %-18s %10.4g  %s%n", r.set(), r.ipc(), r.model(),
          r.lr(), r.accuracy()));
    }
    return s.toString();
  }
}
