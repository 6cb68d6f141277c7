package org.dd4j.interop;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The fixtures of {@code interop/} (written by {@code tools/golden/pt_fixtures.py} and
 * {@code tools/golden/mtt_buffer.py} with the authors' code and Debian's torch 1.13).
 */
final class InteropFixtures {

  private InteropFixtures() {}

  /** Copies fixture {@code interop/NAME} to {@code dir/as}. */
  static Path copy(String name, Path dir, String as) {
    try (InputStream in = open(name)) {
      Path p = dir.resolve(as);
      Files.createDirectories(p.getParent());
      Files.copy(in, p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a twice-gzipped snapshot fixture, decompressed, to {@code dir/as}. */
  static Path gunzip2(String name, Path dir, String as) {
    try (InputStream in = new GZIPInputStream(new GZIPInputStream(open(name)))) {
      Path p = dir.resolve(as);
      Files.createDirectories(p.getParent());
      Files.copy(in, p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String name) {
    try (InputStream in = open(name)) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> fashionMnistPreprocessing() {
    return Map.of("name", "normalize-reference", "mean", java.util.List.of(0.2861),
        "std", java.util.List.of(0.353));
  }

  static Map<String, Object> mttOptimizer() {
    return Map.of("name", "sgd", "lr", 0.01, "momentum", 0.0, "weight_decay", 0.0,
        "batch_size", 256);
  }

  private static InputStream open(String name) {
    InputStream in = InteropFixtures.class.getResourceAsStream("/interop/" + name);
    assertNotNull(in, "missing fixture interop/" + name);
    return in;
  }
}
