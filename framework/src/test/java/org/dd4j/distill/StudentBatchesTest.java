package org.dd4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MTT's indices_chunks: torch.split of a permutation, popped last chunk first, refilled. */
class StudentBatchesTest {

  @Test
  void remainderChunkIsPoppedFirstThenANewPermutation() {
    StudentBatches b = new StudentBatches(20, 6, 6);
    // split(perm, 6) = [0:6], [6:12], [12:18], [18:20]; pop() takes [18:20] first
    assertArrayEquals(new int[] {2, 6, 6, 6, 2, 6}, b.sizes());
    assertEquals(28, b.total());
    int[] p1 = new int[20];
    int[] p2 = new int[20];
    for (int i = 0; i < 20; i++) {
      p1[i] = i;
      p2[i] = 19 - i;
    }
    var perms = new ArrayDeque<>(List.of(p1, p2));
    int[] idx = b.indices(perms::pop);
    assertArrayEquals(new int[] {18, 19, 12, 13, 14, 15, 16, 17, 6, 7, 8, 9, 10, 11, 0, 1, 2,
        3, 4, 5, 1, 0, 7, 6, 5, 4, 3, 2}, idx);
    assertEquals(0, perms.size());
  }

  @Test
  void dividingBatchesTakeTheLastChunkFirst() {
    StudentBatches b = new StudentBatches(6, 3, 3);
    assertArrayEquals(new int[] {3, 3, 3}, b.sizes());
    var perms = new ArrayDeque<>(List.of(new int[] {5, 4, 3, 2, 1, 0}, new int[] {0, 1, 2, 3,
        4, 5}));
    assertArrayEquals(new int[] {2, 1, 0, 5, 4, 3, 3, 4, 5}, b.indices(perms::pop));
    StudentBatches all = new StudentBatches(4, 4, 2);
    assertArrayEquals(new int[] {4, 4}, all.sizes());
  }

  @Test
  void rejectsBadSizes() {
    assertThrows(IllegalArgumentException.class, () -> new StudentBatches(4, 5, 1));
    assertThrows(IllegalArgumentException.class, () -> new StudentBatches(4, 0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new StudentBatches(4, 2, 1).indices(() -> new int[3]));
  }
}
