package org.dd4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process, from /proc (Linux). */
public final class ProcessMemory {

  private ProcessMemory() {}

  /** Peak resident set size (VmHWM) in bytes, or -1 where /proc is unavailable. */
  public static long peakRssBytes() {
    return field("VmHWM:");
  }

  /** Current resident set size (VmRSS) in bytes, or -1. */
  public static long rssBytes() {
    return field("VmRSS:");
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          String[] parts = line.substring(name.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024L;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
