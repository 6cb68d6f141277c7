package org.dd4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dd4j.data.PreprocessingKinds;
import org.dd4j.data.Preprocessing;
import org.dd4j.interop.BufferExport;
import org.dd4j.interop.SetExport;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.SyntheticSetFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dd4j export SET|BUFFER --format ... --out DIR}. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write a distilled set for PyTorch, NumPy and anyone, or a buffer for the"
        + " authors' distill.py (docs/interop.md). A set (.arrow): --format pt (set.pt, and"
        + " MTT/DATM's images_best.pt, labels_best.pt, lr_best.pt), npz, safetensors, or"
        + " images (PNG per image, de-normalized, labels.csv); each with dd4j-set.json (the"
        + " preprocessing, how to rebuild it, and the run's configuration). A buffer"
        + " directory: replay_buffer_N.pt (--format pt) and dd4j-buffer.json.")
final class ExportCommand implements Callable<Integer> {

  @Parameters(paramLabel = "SOURCE", description = "A synthetic-set file (syn-final.arrow)"
      + " or a buffer directory.")
  Path source;

  @Option(names = {"--format"}, required = true, paramLabel = "FORMAT",
      description = "pt, npz, safetensors or images (a buffer: pt).")
  String format;

  @Option(names = {"--out"}, required = true, paramLabel = "DIR",
      description = "The directory to create (must not exist or be empty).")
  Path out;

  @Option(names = {"--experts-per-file", "--save_interval"}, defaultValue = "10",
      description = "Experts per replay_buffer_N.pt (buffer.py's save_interval; default:"
          + " ${DEFAULT-VALUE}).")
  int expertsPerFile;

  @Spec CommandSpec command;

  @Override
  public Integer call() {
    SetExport.Format f = SetExport.Format.parse(format);
    List<String> files;
    if (Files.isDirectory(source)) {
      if (f != SetExport.Format.PT) {
        throw new IllegalArgumentException("a buffer exports as --format pt"
            + " (replay_buffer_N.pt), not " + format);
      }
      files = BufferExport.write(BufferDirectory.open(source), out, expertsPerFile);
    } else {
      var loaded = SyntheticSetFile.read(source);
      files = SetExport.write(loaded, f, out, f == SetExport.Format.IMAGES
          ? inverse(loaded) : null);
    }
    command.commandLine().getOut().printf("wrote %s: %s%n", out, String.join(", ", files));
    command.commandLine().getOut().flush();
    return 0;
  }

  /** ZCA cannot be undone from the file alone: fit it again on the recorded dataset. */
  private Preprocessing inverse(SyntheticSetFile.Loaded loaded) {
    String name = String.valueOf(loaded.preprocessing().get("name"));
    if (!name.equals("zca")) {
      return null; // mean/std (or none) from the file
    }
    Object dataset = loaded.config().get("dataset");
    if (!(dataset instanceof String d)) {
      throw new IllegalArgumentException(source + ": a ZCA set whose configuration names no"
          + " dataset cannot be de-whitened for PNG export; use --format pt|npz|safetensors");
    }
    return PreprocessingKinds.load(d, name, command.commandLine().getErr()).preprocessing();
  }
}
