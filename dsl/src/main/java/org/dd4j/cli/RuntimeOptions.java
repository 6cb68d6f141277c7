package org.dd4j.cli;

import org.dd4j.engine.SessionOptions;
import picocli.CommandLine.Option;

/** Threads and graph options, shared by the commands that run TensorFlow. */
final class RuntimeOptions {

  @Option(names = {"--threads"}, description = "TensorFlow intra-op threads "
      + "(default: all cores).")
  Integer threads;

  @Option(names = {"--inter-op-threads"}, defaultValue = "2",
      description = "Ops run side by side (default: ${DEFAULT-VALUE}).")
  int interOpThreads;

  @Option(names = {"--grappler"}, negatable = true, defaultValue = "false",
      description = "Run TensorFlow's graph optimizer (grappler); off by default: it made "
          + "expert training no faster and the first run of large unrolled graphs slower.")
  boolean grappler;

  SessionOptions sessionOptions() {
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    return new SessionOptions(t, interOpThreads, grappler);
  }
}
