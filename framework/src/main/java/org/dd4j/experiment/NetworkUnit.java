package org.dd4j.experiment;

import java.io.Serializable;
import java.nio.file.Path;
import org.dd4j.data.Dataset;
import org.dd4j.data.ImageSet;
import org.dd4j.distribute.UnitContext;
import org.dd4j.distribute.WorkUnit;
import org.dd4j.engine.SessionOptions;
import org.dd4j.evaluate.EvalConfig;
import org.dd4j.evaluate.Evaluator;
import org.dd4j.models.ModelRegistry;
import org.dd4j.synthetic.SyntheticSet;
import org.dd4j.storage.SyntheticSetFile;

/**
 * One evaluation network of a distributed evaluation: network {@code network} of one set on
 * architecture {@code architecture} of the plan, trained by {@link Evaluator#evaluateNetwork}
 * so that its accuracy is the one the local loop gives. The executor rebuilds the experiment
 * (its evaluation settings) and its data from {@code source}; the set is a synthetic-set file
 * or the indices of a coreset baseline in the training split (chosen on the driver, where its
 * embeddings are).
 *
 * @param source rebuilds the experiment (its evaluation plan and data) in the executor
 * @param set the set's name in the table, e.g. "distilled" (for labels and logs)
 * @param synFile the synthetic-set file (.arrow) on shared storage, or null for a baseline
 * @param picked the baseline's training-split indices, or null for a synthetic set
 * @param architecture the architecture as the plan names it
 * @param model its label on this data, e.g. "convnet-d3-w32" (the table's)
 * @param learningRate the networks' SGD learning rate
 * @param network k, 0 <= k < runs
 * @param logFile this unit's log, on storage the driver can read
 * @param interOpThreads TensorFlow inter-op threads (intra-op: the task's cores)
 * @param grappler whether TensorFlow's graph optimizer runs
 */
record NetworkUnit(ExperimentSource source, String set, String synFile, int[] picked,
    ModelChoice architecture, String model, double learningRate, int network, String logFile, int interOpThreads,
    boolean grappler) implements WorkUnit<NetworkUnit.Outcome> {

  /** A network's test accuracy in [0, 1], or why its training diverged. */
  record Outcome(double accuracy, String failure) implements Serializable {}

  @Override
  public String label() {
    return set + " on " + model + ", network " + network;
  }

  @Override
  public Outcome run(UnitContext context) {
    Experiment e = UnitInputs.experiment(source);
    Dataset d = UnitInputs.data(e.data(), context.log()).data();
    EvaluationPlan plan = e.evaluation();
    var net = ModelRegistry.create(architecture.spec(d));
    if (!ModelRegistry.label(net.spec()).equals(model)) {
      throw new IllegalStateException("the executor built " + ModelRegistry.label(net.spec())
          + " where the driver has " + model + ": its data differ from the driver's (another "
          + "dataset path or dd4j version?)");
    }
    ImageSet train;
    float[] logits = null;
    if (synFile != null) {
      SyntheticSet s = SyntheticSetFile.read(Path.of(synFile)).set();
      train = s.toImageSet();
      logits = s.labelLogits();
    } else {
      train = d.train().select(picked);
    }
    EvalConfig config = plan.config();
    context.log().printf("%s: %s, %d images, lr %.4g, %d epochs, %d threads%n", label(),
        ModelRegistry.label(net.spec()), train.count(), learningRate, config.epochs(),
        context.cpus());
    context.log().flush();
    try {
      double acc = Evaluator.evaluateNetwork(net, train, logits, learningRate, d.test(),
          config, new SessionOptions(context.cpus(), interOpThreads, grappler), network);
      context.log().printf("test accuracy %.4f%n", acc);
      return new Outcome(acc, null);
    } catch (IllegalStateException diverged) {
      context.log().println("diverged: " + diverged.getMessage());
      return new Outcome(Double.NaN, diverged.getMessage());
    }
  }
}
