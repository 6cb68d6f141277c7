package org.dd4j.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.dd4j.models.InputShape;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * DSA through the {@link Augmentation} hook. {@link #apply} adds placeholders to the graph;
 * before every run, {@link #feedNext(Session.Runner, int)} draws and feeds them. Each
 * instance serves one graph.
 *
 * <pre>{@code
 * DsaAugmentation dsa = new DsaAugmentation(DsaConfig.defaults(), shape, seed,
 *     DsaAugmentation.Pairing.INDEPENDENT);
 * Operand<TFloat32> x = dsa.apply(tf, images);         // while building the graph
 * try (DsaFeeds.Fed fed = dsa.feedNext(runner, batch)) { // before every run
 *   runner.fetch(...).run();
 * }
 * }</pre>
 *
 * <p>References: Zhao &amp; Bilen, ICML 2021; spec section 3.
 */
public final class DsaAugmentation implements Augmentation {

  /** How several {@link #apply} calls in one graph share draws. */
  public enum Pairing {
    /** A fresh draw for each application (MTT, FTD and AST). */
    INDEPENDENT,
    /** One draw for all applications in a run (DSA's siamese real/synthetic pairs). */
    SIAMESE
  }

  private final DsaSampler sampler;
  private final InputShape shape;
  private SplittableRandom rng;
  private final Pairing pairing;
  private final List<DsaFeeds<TFloat32>> feeds = new ArrayList<>();

  /**
   * @param shape the images' [H, W, C]
   * @param seed seeds the draws: two instances with the same seed draw the same sequence
   */
  public DsaAugmentation(DsaConfig config, InputShape shape, long seed, Pairing pairing) {
    this.sampler = new DsaSampler(config);
    this.shape = shape;
    this.rng = new SplittableRandom(seed);
    this.pairing = pairing;
  }

  /**
   * @param images shape [B, H, W, C], float32
   * @return augmented images, same shape; new placeholders are fed by {@link #feedNext}
   */
  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> images) {
    DsaFeeds<TFloat32> f = pairing == Pairing.SIAMESE && !feeds.isEmpty() ? feeds.get(0)
        : DsaFeeds.create(tf, TFloat32.class, shape);
    if (feeds.isEmpty() || pairing == Pairing.INDEPENDENT) {
      feeds.add(f);
    }
    return Dsa.apply(tf, images, f);
  }

  /**
   * Draws this run's parameters and feeds every application's placeholders.
   *
   * @param batch B of the augmented batches in this run
   * @return the fed tensors: close after the run
   * @throws IllegalStateException if {@link #apply} was never called
   */
  public DsaFeeds.Fed feedNext(Session.Runner runner, int batch) {
    checkState(!feeds.isEmpty(), "apply() has not been called: nothing to feed");
    checkArgument(batch > 0, "batch must be > 0, got %s", batch);
    DsaFeeds.Fed all = new DsaFeeds.Fed();
    for (DsaFeeds<TFloat32> f : feeds) {
      all.addAll(f.feed(runner, sampler.draw(rng, batch, shape.height(), shape.width())));
    }
    return all;
  }

  @Override
  public void reseed(long seed) {
    rng = new SplittableRandom(seed);
  }

  @Override
  public Feed feed(Session.Runner runner, int batch) {
    DsaFeeds.Fed fed = feedNext(runner, batch);
    return fed::close;
  }

  @Override
  public java.util.Map<String, Object> describe() {
    // ImmutableMap keeps this order in every JVM (Map.of's iteration order is salted per JVM,
    // and this description is written into expert files a cluster's executors compare)
    return ImmutableMap.of("name", "dsa", "strategy", sampler.config().strategy(),
        "pairing", pairing.name().toLowerCase(java.util.Locale.ROOT));
  }

  public DsaConfig config() {
    return sampler.config();
  }
}
