package org.dd4j.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's physical memory, for choices and limits that depend on it. */
public final class MachineMemory {

  private MachineMemory() {}

  /**
   * MemTotal of {@code /proc/meminfo} in bytes (Linux); elsewhere the JVM's heap limit, a
   * lower bound.
   */
  public static double totalBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return Runtime.getRuntime().maxMemory();
  }
}
