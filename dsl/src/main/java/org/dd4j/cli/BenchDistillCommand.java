package org.dd4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dd4j.bench.DistillBenchmark;
import org.dd4j.engine.MachineMemory;
import org.dd4j.models.InputShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dd4j bench distill}: seconds per distillation iteration and peak memory over a grid
 * of widths, syn_steps, DSA and unroll modes, each configuration in its own JVM so that its
 * peak RSS is its own.
 */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Seconds per distillation iteration (median of the iterations after the "
        + "first), the first iteration, graph build time and peak RSS, per configuration, "
        + "each in its own JVM. Needs no buffer or dataset: one random expert trajectory of "
        + "the right shape and noise images are enough for timing.",
        "Defaults: Fashion-MNIST shapes (28x28x1, 10 classes), ConvNet-3, ipc 10, batch_syn "
            + "100, M 2; widths 64 and 128, N 20, 50 and 80, DSA off and on, every unroll "
            + "mode. A configuration whose estimated memory exceeds --memory-limit-gb is "
            + "skipped and says so."})
final class BenchDistillCommand implements Callable<Integer> {

  @Option(names = {"--widths"}, split = ",", defaultValue = "64,128", paramLabel = "W",
      description = "ConvNet-3 widths (default: ${DEFAULT-VALUE}).")
  List<Integer> widths;

  @Option(names = {"--syn-steps"}, split = ",", defaultValue = "20,50,80", paramLabel = "N",
      description = "Unrolled student steps (default: ${DEFAULT-VALUE}).")
  List<Integer> synSteps;

  @Option(names = {"--dsa"}, split = ",", defaultValue = "off,on", paramLabel = "off|on",
      description = "DSA on the student's minibatches (default: ${DEFAULT-VALUE}).")
  List<String> dsa;

  @Option(names = {"--unroll"}, split = ",", defaultValue = "full,adjoint",
      paramLabel = "MODE", description = "Unroll modes, the unroll setting's values "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> unroll;

  @Option(names = {"--ipc"}, defaultValue = "10",
      description = "Images per class (default: ${DEFAULT-VALUE}).")
  int ipc;

  @Option(names = {"--batch-syn"}, defaultValue = "100",
      description = "Images per student step (default: ${DEFAULT-VALUE}).")
  int batchSyn;

  @Option(names = {"--expert-epochs"}, defaultValue = "2",
      description = "M (default: ${DEFAULT-VALUE}).")
  int expertEpochs;

  @Option(names = {"--iterations"}, defaultValue = "4",
      description = "Iterations per configuration, the first untimed (default: "
          + "${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = {"--memory-limit-gb"}, paramLabel = "GB",
      description = "Skip a configuration whose estimated peak memory exceeds this (default: "
          + "90%% of the machine's memory). Estimate: the full unroll's as unroll = auto "
          + "computes it (1.1 GB + 35.5 bytes per activation value per image per step); "
          + "other modes 4 GB.")
  Double memoryLimitGb;

  @Option(names = {"--single"}, hidden = true,
      description = "Run the one configuration given, in this JVM, and print a RESULT line.")
  boolean single;

  @Mixin RuntimeOptions runtime;
  @Spec CommandSpec command;

  @Override
  public Integer call() throws Exception {
    if (runtime.threads == null) {
      runtime.threads = 2;
    }
    PrintWriter out = command.commandLine().getOut();
    if (single) {
      DistillBenchmark.Result r = DistillBenchmark.run(config(widths.get(0), synSteps.get(0),
          dsa.get(0), unroll.get(0)), DistillBenchmark.tempDir(), runtime.sessionOptions());
      out.printf("RESULT %.3f %.3f %.3f %d%n", r.buildSeconds(), r.firstSeconds(),
          r.medianSeconds(), r.peakRssBytes());
      out.flush();
      return 0;
    }
    double limit = memoryLimitGb != null ? memoryLimitGb : 0.9 * MachineMemory.totalBytes() / 1e9;
    out.printf("bench distill: ConvNet-3 on 28x28x1, 10 classes, ipc %d, batch_syn %d, M %d, "
            + "%d iterations (first untimed), %d threads; random trajectory, no dataset; "
            + "one JVM per row; memory limit %.1f GB%n", ipc, batchSyn, expertEpochs,
        iterations, runtime.threads, limit);
    out.printf("%6s %4s %4s %8s %9s %11s %10s %12s%n", "width", "N", "DSA", "unroll",
        "build s", "first it s", "s / it", "peak RSS GB");
    out.flush();
    for (int w : widths) {
      for (int n : synSteps) {
        for (String d : dsa) {
          for (String u : unroll) {
            double estimate = DistillBenchmark.estimatedBytes(config(w, n, d, u)) / 1e9;
            String row = String.format("%6d %4d %4s %8s", w, n, d, u);
            if (estimate > limit) {
              out.printf("%s  skipped: estimated %.1f GB > %.1f GB limit%n", row, estimate,
                  limit);
            } else {
              out.printf("%s %s%n", row, child(w, n, d, u));
            }
            out.flush();
          }
        }
      }
    }
    return 0;
  }

  private DistillBenchmark.Config config(int width, int n, String dsaOnOff, String mode) {
    if (!dsaOnOff.equals("on") && !dsaOnOff.equals("off")) {
      throw new IllegalArgumentException("--dsa takes off and on, got '" + dsaOnOff + "'");
    }
    return new DistillBenchmark.Config(width, n, DistillBenchmark.dsa(dsaOnOff.equals("on")),
        mode, ipc, batchSyn, expertEpochs, iterations, new InputShape(28, 28, 1), 10);
  }

  /** Runs one configuration in a child JVM with this one's class path and JVM options. */
  private String child(int width, int n, String d, String u) throws IOException,
      InterruptedException {
    config(width, n, d, u); // validates before starting a JVM
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Dd4j.class.getName(),
        "bench", "distill", "--single", "--widths", "" + width, "--syn-steps", "" + n,
        "--dsa", d, "--unroll", u, "--ipc", "" + ipc, "--batch-syn", "" + batchSyn,
        "--expert-epochs", "" + expertEpochs, "--iterations", "" + iterations,
        "--threads", "" + runtime.threads));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String result = null;
    StringBuilder tail = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          result = line;
        } else {
          tail.append(line).append('\n');
          if (tail.length() > 2000) {
            tail.delete(0, tail.length() - 2000);
          }
        }
      }
    }
    int code = p.waitFor();
    if (code != 0 || result == null) {
      String last = tail.toString().strip();
      last = last.contains("\n") ? last.substring(last.lastIndexOf('\n') + 1) : last;
      return " failed (exit " + code + "): " + last;
    }
    String[] f = result.split(" ");
    return String.format("%9.1f %11.1f %10.2f %12.2f", Double.parseDouble(f[1]),
        Double.parseDouble(f[2]), Double.parseDouble(f[3]), Long.parseLong(f[4]) / 1e9);
  }
}
