package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a run saves: at the start, every k iterations but never inside a run of skips, at the end. */
class CheckpointScheduleTest {

  @TempDir
  Path dir;

  private static DistillState at(int iteration, int failures) {
    DistillState s = CheckpointTest.state();
    return new DistillState(s.set(), s.imageOptimizer(), s.lrOptimizer(), iteration, failures);
  }

  /** The iterations saved when the states {@code states} follow {@code from}. */
  private List<Integer> saves(int every, DistillState from, List<DistillState> states) {
    Path file = dir.resolve("ckpt-" + every + "-" + from.nextIteration() + ".bin");
    DistillConfig config = CheckpointTest.config();
    var schedule = new CheckpointSchedule(Optional.of(new CheckpointPolicy(file, every)),
        config);
    List<Integer> saved = new ArrayList<>();
    schedule.begin(from);
    saved.add(Checkpoint.load(file, config).nextIteration());
    for (DistillState s : states) {
      schedule.after(s);
      int onDisk = Checkpoint.load(file, config).nextIteration();
      if (onDisk != saved.get(saved.size() - 1)) {
        saved.add(onDisk);
      }
    }
    schedule.end(states.get(states.size() - 1));
    int onDisk = Checkpoint.load(file, config).nextIteration();
    if (onDisk != saved.get(saved.size() - 1)) {
      saved.add(onDisk);
    }
    return saved;
  }

  @Test
  void savesAtTheStartEveryKAppliedIterationsAndAtTheEnd() {
    // iterations 1..7 applied: saves 0, 3, 6, then the end 7
    assertEquals(List.of(0, 3, 6, 7), saves(3, at(0, 0), List.of(at(1, 0), at(2, 0), at(3, 0),
        at(4, 0), at(5, 0), at(6, 0), at(7, 0))));
    // the save due after iteration 2 (state 3) waits past two skips for state 5
    assertEquals(List.of(0, 5, 6), saves(3, at(0, 0), List.of(at(1, 0), at(2, 0), at(3, 1),
        at(4, 2), at(5, 0), at(6, 0))));
    // resumed at 4 with every 2: saves 4, 6; the end is already saved
    assertEquals(List.of(4, 6), saves(2, at(4, 0), List.of(at(5, 0), at(6, 0))));
  }

  @Test
  void withoutAPolicyNothingIsSaved() {
    var schedule = new CheckpointSchedule(Optional.empty(), CheckpointTest.config());
    schedule.begin(at(0, 0));
    schedule.after(at(1, 0));
    schedule.end(at(1, 0));
    assertEquals(Optional.empty(), schedule.file());
    assertFalse(Files.exists(dir.resolve(Checkpoint.FILE_NAME)));
  }
}
