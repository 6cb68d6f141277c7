package org.dd4j.distribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local engine: units in order, each with its log, and a failure named by its unit. */
class LocalEngineTest {

  /** Returns cpus * 10 + its number, or fails when asked. */
  record Unit(String dir, int number, boolean fails) implements WorkUnit<Integer> {
    @Override
    public String label() {
      return "expert " + number;
    }

    @Override
    public String logFile() {
      return dir + "/expert-" + number + ".log";
    }

    @Override
    public Integer run(UnitContext context) {
      context.log().println("working with " + context.cpus() + " cores");
      context.checkpoint(); // nothing locally
      if (fails) {
        throw new IllegalStateException("loss is NaN at epoch 3");
      }
      return context.cpus() * 10 + number;
    }
  }

  @Test
  void runsUnitsInOrderWithTheirLogsAndNamesAFailedOne(@TempDir Path dir) throws Exception {
    StringWriter text = new StringWriter();
    try (Engine local = new LocalEngine(3, new PrintWriter(text, true), false)) {
      assertEquals(List.of(30, 31), local.run("buffer",
          List.of(new Unit(dir.toString(), 0, false), new Unit(dir.toString(), 1, false))));
      UnitFailedException e = assertThrows(UnitFailedException.class, () -> local.run("buffer",
          List.of(new Unit(dir.toString(), 2, false), new Unit(dir.toString(), 17, true))));
      assertEquals("expert 17: loss is NaN at epoch 3", e.getMessage());
    }
    String log = Files.readString(dir.resolve("expert-17.log"));
    assertTrue(log.contains("attempt 0") && log.contains("working with 3 cores")
        && log.contains("loss is NaN"), log);
    assertTrue(text.toString().contains("expert 17: loss is NaN at epoch 3 (log: "),
        text.toString());
  }
}
