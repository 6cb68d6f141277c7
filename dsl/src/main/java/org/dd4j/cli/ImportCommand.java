package org.dd4j.cli;

import picocli.CommandLine.Command;

/** {@code dd4j import buffer|set}: the field's PyTorch files into dd4j's formats. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Read the authors' PyTorch files (torch.save .pt, read safely: only tensors"
        + " and plain containers; see docs/interop.md): an expert buffer (replay_buffer_N.pt)"
        + " into a dd4j buffer directory, or a distilled set (images_best.pt, labels_best.pt)"
        + " into a dd4j synthetic-set file.",
    subcommands = {ImportBufferCommand.class, ImportSetCommand.class})
final class ImportCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(command.commandLine(),
        "give what to import: dd4j import buffer ... or dd4j import set ...");
  }
}
