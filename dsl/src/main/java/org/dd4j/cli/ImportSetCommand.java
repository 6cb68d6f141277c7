package org.dd4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dd4j.data.Dataset;
import org.dd4j.interop.TorchFormatException;
import org.dd4j.interop.TorchSets;
import org.dd4j.storage.SyntheticSetFile;
import org.dd4j.synthetic.SyntheticSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dd4j import set}: the authors' images_best.pt / labels_best.pt as a dd4j set. */
@Command(name = "set", mixinStandardHelpOptions = true,
    description = "Import a distilled set saved by the authors' distill.py (MTT, FTD, DATM):"
        + " images_best.pt (NCHW float32 in the data's preprocessed space), labels_best.pt"
        + " (int64 hard labels, or DATM's float label logits [n, C]) and syn_lr (--syn-lr, or"
        + " DATM's lr_best.pt with --lr), into a dd4j synthetic-set file (.arrow) that dd4j"
        + " evaluate --syn reads. The images must have the dataset's shape and classes.")
final class ImportSetCommand implements Callable<Integer> {

  @Option(names = {"--syn"}, required = true, paramLabel = "FILE",
      description = "images_best.pt, or the one-file set.pt of dd4j export.")
  Path images;

  @Option(names = {"--labels"}, paramLabel = "FILE", description = "labels_best.pt.")
  Path labels;

  @Option(names = {"--syn-lr", "--syn_lr"}, paramLabel = "LR",
      description = "The learned syn_lr (MTT's distill.py does not save it).")
  Double synLr;

  @Option(names = {"--lr"}, paramLabel = "FILE", description = "DATM's lr_best.pt.")
  Path lrFile;

  @Option(names = {"--out"}, required = true, paramLabel = "FILE",
      description = "The synthetic-set file to write (.arrow).")
  Path out;

  @Mixin DataOptions data;
  @Spec CommandSpec command;

  @Override
  public Integer call() {
    var prepared = data.load(command.commandLine().getErr());
    SyntheticSet s = read(images, labels, synLr, lrFile, prepared.data());
    SyntheticSetFile.write(out, s, 0, importedConfig(images, labels, data.dataset),
        prepared.preprocessing().describe());
    command.commandLine().getOut().printf("imported %d images (ipc %d, %d classes, %s"
            + " labels, syn_lr %s) into %s%n", s.count(), s.ipc(), s.numClasses(),
        s.hasSoftLabels() ? "soft" : "hard", s.synLr(), out);
    command.commandLine().getOut().flush();
    return 0;
  }

  /**
   * Reads the set and checks it against the dataset's image shape and classes.
   *
   * @throws TorchFormatException if it does not fit
   */
  static SyntheticSet read(Path images, Path labels, Double synLr, Path lrFile, Dataset d) {
    SyntheticSet s = TorchSets.read(images, labels, synLr, lrFile);
    var t = d.train();
    if (s.shape().height() != t.height() || s.shape().width() != t.width()
        || s.shape().channels() != t.channels() || s.numClasses() > d.numClasses()) {
      throw new TorchFormatException(images, "holds " + s.numClasses() + " classes of "
          + s.shape().channels() + "x" + s.shape().height() + "x" + s.shape().width()
          + " images, the dataset " + d.name() + " has " + d.numClasses() + " classes of "
          + t.channels() + "x" + t.height() + "x" + t.width(), "give the dataset the set"
          + " was distilled on (--dataset)");
    }
    return s;
  }

  /**
   * The set of the authors' files as a synthetic-set file in a temporary directory (deleted
   * when the JVM exits), for {@code dd4j evaluate --syn images_best.pt}.
   */
  static Path toTemporaryArrow(Path images, Path labels, Double synLr, Path lrFile,
      DataOptions data, java.io.PrintWriter log) {
    var prepared = data.load(log);
    SyntheticSet s = read(images, labels, synLr, lrFile, prepared.data());
    try {
      Path dir = java.nio.file.Files.createTempDirectory("dd4j-import-");
      Path file = dir.resolve(images.getFileName().toString().replaceAll("\\.pt$", "")
          + ".arrow");
      dir.toFile().deleteOnExit();
      file.toFile().deleteOnExit();
      SyntheticSetFile.write(file, s, 0, importedConfig(images, labels, data.dataset),
          prepared.preprocessing().describe());
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write a temporary set", e);
    }
  }

  static Map<String, Object> importedConfig(Path images, Path labels, String dataset) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("dataset", dataset);
    c.put("imported_from", Map.of("images", images.toAbsolutePath().toString(),
        "labels", labels == null ? "" : labels.toAbsolutePath().toString()));
    return c;
  }
}
