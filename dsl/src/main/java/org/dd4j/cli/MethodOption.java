package org.dd4j.cli;

import java.util.Optional;
import org.dd4j.experiment.MethodPreset;
import picocli.CommandLine.Option;

/**
 * {@code --method NAME}: a {@link MethodPreset} over both phases. {@code dd4j buffer} takes
 * its expert preset, {@code dd4j distill} its distillation settings; options given
 * explicitly win.
 */
final class MethodOption {

  @Option(names = {"--method"}, paramLabel = "NAME", description = "A method as its authors "
      + "run it: mtt, ftd, ast (their code and run scripts), ftd-paper, ast-paper (the papers' "
      + "text). Sets the expert preset (dd4j buffer) or the distillation settings in which "
      + "the method differs from MTT (dd4j distill) that are not given explicitly; see "
      + "docs/methods.md.")
  String method;

  /**
   * The preset named, if any.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  Optional<MethodPreset> preset() {
    try {
      return Optional.ofNullable(method).map(MethodPreset::named);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--method: " + e.getMessage(), e);
    }
  }
}
