package org.dd4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dd4j.Accuracy;
import org.dd4j.buffer.ExpertRecipe;
import org.dd4j.interop.BufferImport;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.TrajectoryReader;
import org.dd4j.train.NetworkTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dd4j import buffer SRC --out DIR}: MTT-style replay buffers into a dd4j buffer. */
@Command(name = "buffer", mixinStandardHelpOptions = true,
    description = "Import replay_buffer_0.pt, replay_buffer_1.pt, ... (as buffer.py of MTT,"
        + " FTD, DATM, TESLA saves them: lists of experts, each a list of epoch snapshots of"
        + " net.parameters()) into a dd4j buffer directory (manifest.json, one Arrow"
        + " trajectory per expert, import.json with the source files and their SHA-256)."
        + " The files do not record the model, dataset, preprocessing or training settings:"
        + " give them (defaults as buffer.py's). Nothing is written unless every expert fits"
        + " the model.")
final class ImportBufferCommand implements Callable<Integer> {

  @Parameters(paramLabel = "SRC", description = "The directory buffer.py saved into"
      + " (BUFFER_PATH/DATASET/MODEL), or one replay_buffer_N.pt file.")
  Path src;

  @Option(names = {"--out"}, required = true, paramLabel = "DIR",
      description = "The dd4j buffer directory to create (must not exist or be empty).")
  Path out;

  @Option(names = {"--lr-teacher", "--lr_teacher"}, defaultValue = "0.01",
      description = "The experts' learning rate, recorded (default: ${DEFAULT-VALUE}).")
  double lrTeacher;

  @Option(names = {"--momentum", "--mom"}, defaultValue = "0",
      description = "The experts' SGD momentum, recorded (default: ${DEFAULT-VALUE}).")
  double momentum;

  @Option(names = {"--weight-decay", "--l2"}, defaultValue = "0",
      description = "The experts' weight decay, recorded (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = {"--batch-train", "--batch_train"}, defaultValue = "256",
      description = "The experts' batch size, recorded (default: ${DEFAULT-VALUE}).")
  int batchTrain;

  @Option(names = {"--accuracies"}, paramLabel = "JSON",
      description = "The test accuracy torch measured per expert and epoch: a JSON file with"
          + " \"test_accuracy\": [[epoch 1, ..., epoch T] per expert] (as"
          + " tools/golden/mtt_buffer.py writes experts.json); written to metrics.jsonl, so"
          + " that dd4j inspect shows it.")
  Path accuracies;

  @Option(names = {"--measure"}, description = "Also measure each expert's final test"
      + " accuracy with dd4j's forward pass on the dataset's test split and print it beside"
      + " torch's (networks without batch norm: the files hold no running statistics).")
  boolean measure;

  @Option(names = {"--measure-test-images"}, paramLabel = "N", defaultValue = "0",
      description = "With --measure: the first N test images, as torch measured them (0 ="
          + " all, the default).")
  int measureTestImages;

  @Mixin DataOptions data;
  @Mixin ModelOptions model;
  @Mixin RuntimeOptions runtime;
  @Spec CommandSpec command;

  @Override
  public Integer call() {
    PrintWriter log = command.commandLine().getErr();
    PrintWriter outWriter = command.commandLine().getOut();
    var files = BufferImport.bufferFiles(src);
    for (Path f : files) { // refuse an unsafe or broken file before loading the dataset
      org.dd4j.interop.TorchFile.open(f).close();
    }
    var prepared = data.load(log);
    Model m = ModelRegistry.create(model.spec(prepared.data()));
    List<List<Double>> acc = accuracies == null ? null
        : BufferImport.readAccuracies(accuracies);
    Map<String, Object> optimizer = new LinkedHashMap<>();
    optimizer.put("name", "sgd");
    optimizer.put("lr", lrTeacher);
    optimizer.put("momentum", momentum);
    optimizer.put("weight_decay", weightDecay);
    optimizer.put("batch_size", batchTrain);
    optimizer.put("trained_by", "imported from PyTorch replay buffers (dd4j import buffer)");
    var r = BufferImport.run(files, new BufferImport.Settings(m, data.dataset,
        prepared.preprocessing().describe(), optimizer, acc), out);
    outWriter.printf("imported %d experts x %d epochs of %s from %d file(s) into %s%n",
        r.experts(), r.epochs(), ModelRegistry.label(m.spec()), files.size(), r.dir());
    if (measure) {
      if (!m.stateShapes().isEmpty()) {
        outWriter.println("not measured: batch-norm experts need running statistics, which"
            + " parameters() does not hold");
      } else {
        BufferDirectory b = BufferDirectory.open(r.dir());
        try (NetworkTrainer t = new NetworkTrainer(m,
            ExpertRecipe.preset("mtt", 1).withAugment(false),
            null /* no augmentation when testing */, runtime.sessionOptions())) {
          outWriter.printf("%-7s %-22s %s%n", "expert", "test acc torch (%)",
              "test acc dd4j (%)");
          for (int i = 0; i < r.experts(); i++) {
            try (TrajectoryReader tr = b.openExpert(i)) {
              t.reset(tr.snapshot(tr.numSnapshots() - 1));
            }
            var test = prepared.data().test();
            if (measureTestImages > 0 && measureTestImages < test.count()) {
              test = test.select(java.util.stream.IntStream.range(0, measureTestImages)
                  .toArray());
            }
            double d = t.accuracy(test);
            String torch = acc == null ? "-"
                : Accuracy.percent(acc.get(i).get(r.epochs() - 1));
            outWriter.printf("%-7d %-22s %s%n", i, torch, Accuracy.percent(d));
          }
        }
      }
    }
    outWriter.flush();
    return 0;
  }
}
