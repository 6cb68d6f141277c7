package org.dd4j.engine;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * How a TensorFlow session runs.
 *
 * <p>TensorFlow sizes its process-wide intra-op pool from the first session created, unless
 * the environment has {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1}; oneDNN kernels are used on
 * x86 only if {@code TF_ENABLE_ONEDNN_OPTS=1} is set before the native library loads (the
 * {@code dd4j} launcher and the test JVMs set it).
 *
 * @param intraOpThreads threads inside one op (0 = TensorFlow's choice: all cores)
 * @param interOpThreads ops run in parallel (0 = TensorFlow's choice)
 * @param graphOptimizations whether grappler's meta-optimizer runs; off by default, which
 *     cut the first run of a large unrolled graph from about 50 s to 24 s with no
 *     steady-state loss
 */
public record SessionOptions(int intraOpThreads, int interOpThreads,
    boolean graphOptimizations) {

  public SessionOptions {
    checkArgument(intraOpThreads >= 0, "intraOpThreads must be >= 0, got %s", intraOpThreads);
    checkArgument(interOpThreads >= 0, "interOpThreads must be >= 0, got %s", interOpThreads);
  }

  /** All cores, grappler off. */
  public static SessionOptions defaults() {
    return new SessionOptions(0, 0, false);
  }

  /** {@code threads} intra-op threads, 1 inter-op thread, grappler off. */
  public static SessionOptions threads(int threads) {
    return new SessionOptions(threads, 1, false);
  }

  /** The equivalent ConfigProto. */
  public ConfigProto toConfigProto() {
    ConfigProto.Builder b = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads);
    if (!graphOptimizations) {
      b.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(
          RewriterConfig.newBuilder().setDisableMetaOptimizer(true)));
    }
    return b.build();
  }
}
