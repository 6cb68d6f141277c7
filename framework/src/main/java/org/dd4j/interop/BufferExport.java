package org.dd4j.interop;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dd4j.models.Model;
import org.dd4j.models.ModelRegistry;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.storage.RunLayout;
import org.dd4j.storage.TrajectoryReader;

/**
 * A dd4j buffer (trained locally or on Spark) as the authors' {@code replay_buffer_N.pt}
 * files, so that their {@code distill.py} can read it: each file a list of up to
 * {@code expertsPerFile} experts (buffer.py's {@code save_interval}, 10), each a list of
 * epoch snapshots 0..T, each the list of {@code net.parameters()} tensors in PyTorch's
 * layout ({@link TorchParameters#toTorch}). Beside them {@code dd4j-buffer.json}: the
 * manifest (model, dataset, preprocessing, optimizer), which the {@code .pt} files cannot
 * hold, and {@code dd4j-buffer-config.json}, the run's configuration (when the buffer has a
 * config.json). Memory: one file's experts at a time.
 */
public final class BufferExport {

  /** The manifest copy beside the exported files. */
  public static final String DESCRIPTION = "dd4j-buffer.json";

  /** The buffer run's config.json beside them, when it has one. */
  public static final String CONFIG = "dd4j-buffer-config.json";

  private BufferExport() {}

  /**
   * @param out a new directory (must not exist or be empty)
   * @return the files written, relative to {@code out}
   */
  public static List<String> write(BufferDirectory buffer, Path out, int expertsPerFile) {
    checkArgument(expertsPerFile > 0, "experts per file must be > 0, got %s", expertsPerFile);
    checkArgument(!Files.exists(out) || isEmpty(out), "%s already exists and is not an"
        + " empty directory; choose another --out", out);
    Model model = ModelRegistry.create(buffer.manifest().model());
    List<Integer> experts = buffer.completeExperts();
    checkArgument(!experts.isEmpty(), "%s holds no complete expert", buffer.root());
    Path abs = out.toAbsolutePath();
    Path staging = abs.resolveSibling("." + abs.getFileName() + ".exporting");
    List<String> files = new ArrayList<>();
    try {
      BufferImport.deleteRecursively(staging);
      Files.createDirectories(staging);
      for (int from = 0, n = 0; from < experts.size(); from += expertsPerFile, n++) {
        List<Object> trajectories = new ArrayList<>();
        for (int i : experts.subList(from, Math.min(experts.size(), from + expertsPerFile))) {
          List<Object> snapshots = new ArrayList<>();
          try (TrajectoryReader r = buffer.openExpert(i)) {
            for (int t = 0; t < r.numSnapshots(); t++) {
              snapshots.add(new ArrayList<Object>(TorchParameters.toTorch(model,
                  r.snapshot(t))));
            }
          }
          trajectories.add(snapshots);
        }
        String name = "replay_buffer_" + n + ".pt";
        TorchFile.write(staging.resolve(name), trajectories);
        files.add(name);
      }
      Files.writeString(staging.resolve(DESCRIPTION), buffer.manifest().toJson());
      files.add(DESCRIPTION);
      Path config = new RunLayout.Buffer(buffer.root()).config();
      if (Files.exists(config)) { // the run's configuration, when dd4j trained the buffer
        Files.copy(config, staging.resolve(CONFIG));
        files.add(CONFIG);
      }
      if (Files.exists(abs)) {
        Files.delete(abs);
      }
      Files.createDirectories(abs.getParent());
      Files.move(staging, abs, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export to " + out, e);
    } finally {
      try {
        BufferImport.deleteRecursively(staging);
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  private static boolean isEmpty(Path p) {
    try (var s = Files.list(p)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }
}
