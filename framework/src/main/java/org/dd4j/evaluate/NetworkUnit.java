package org.dd4j.evaluate;

import java.io.Serializable;
import java.nio.file.Path;
import org.dd4j.data.DataChoice;
import org.dd4j.data.Dataset;
import org.dd4j.data.ImageSet;
import org.dd4j.distribute.UnitContext;
import org.dd4j.distribute.WorkUnit;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.ModelChoice;
import org.dd4j.models.ModelRegistry;
import org.dd4j.storage.SyntheticSetFile;
import org.dd4j.synthetic.SyntheticSet;

/**
 * One evaluation network of a distributed evaluation: network {@code network} of one set on
 * architecture {@code architecture}, trained by {@link Evaluator#evaluateNetwork} so that its
 * accuracy is the one the local loop gives. The executor prepares the data from
 * {@code data} (once per JVM, {@link DataChoice#shared}); the set is a synthetic-set file or
 * the indices of a coreset baseline in the training split (chosen on the driver, where its
 * embeddings are).
 *
 * @param data the dataset and preprocessing the driver evaluates on
 * @param config the evaluation protocol (epochs, batch, DSA, seed of the networks)
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
record NetworkUnit(DataChoice data, EvalConfig config, String set, String synFile,
    int[] picked, ModelChoice architecture, String model, double learningRate, int network,
    String logFile, int interOpThreads, boolean grappler)
    implements WorkUnit<NetworkUnit.Outcome> {

  /** A network's test accuracy in [0, 1], or why its training diverged. */
  record Outcome(double accuracy, String failure) implements Serializable {}

  @Override
  public String label() {
    return set + " on " + model + ", network " + network;
  }

  @Override
  public Outcome run(UnitContext context) {
    Dataset d = data.shared(context.log()).data();
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
