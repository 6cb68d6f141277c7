package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Which synthetic images each of the N student steps sees, as MTT's distill.py draws them:
 * when its list {@code indices_chunks} is empty it cuts a fresh random permutation of the n
 * images into chunks of batch_syn ({@code torch.split}: the last chunk holds the remainder
 * when batch_syn does not divide n), and every step takes {@code indices_chunks.pop()}, the
 * LAST chunk of the list. So with n = 20 and batch_syn = 6 the steps see 2, 6, 6, 6 images,
 * then a new permutation: 2, 6, ... Each step's loss is the mean cross-entropy of its own
 * chunk.
 *
 * <p>The sizes depend only on (n, batch_syn, N), never on the permutations, so the graph is
 * built once with one static size per step ({@link #sizes}) and fed the concatenated
 * indices ({@link #indices}).
 *
 * <p>References: MTT (Cazenavette et al., CVPR 2022) code, distill.py, the inner loop
 * ({@code if not indices_chunks: ...; these_indices = indices_chunks.pop()}); spec section 5,
 * step 3.
 *
 * @param images n = C * ipc, the synthetic images
 * @param batchSyn images per chunk, in [1, n]
 * @param steps N, the student steps
 */
record StudentBatches(int images, int batchSyn, int steps) {

  StudentBatches {
    checkArgument(images > 0, "images must be > 0, got %s", images);
    checkArgument(batchSyn >= 1 && batchSyn <= images, "batchSyn must be in [1, %s], got %s",
        images, batchSyn);
    checkArgument(steps > 0, "steps must be > 0, got %s", steps);
  }

  /** Chunks one permutation is cut into: ceil(n / batch_syn). */
  int chunksPerPermutation() {
    return (images + batchSyn - 1) / batchSyn;
  }

  /** Images step i sees, i in [0, N): the popped chunk's size. */
  int size(int step) {
    int popped = step % chunksPerPermutation(); // chunks already popped from this permutation
    int chunk = chunksPerPermutation() - 1 - popped; // torch.split index of the popped chunk
    return Math.min(batchSyn, images - chunk * batchSyn);
  }

  /** The N step sizes, in step order. */
  int[] sizes() {
    int[] s = new int[steps];
    for (int i = 0; i < steps; i++) {
      s[i] = size(i);
    }
    return s;
  }

  /** The sum of {@link #sizes}: the length of {@link #indices}. */
  int total() {
    return Arrays.stream(sizes()).sum();
  }

  /**
   * The indices of every step, concatenated in step order: step i's chunk is the next
   * {@code size(i)} values.
   *
   * @param permutations called once for each permutation the N steps use (a permutation of
   *     [0, n), e.g. a fresh random one; {@code torch.randperm} in distill.py)
   * @return [total()] image indices
   * @throws IllegalArgumentException if a supplied array is not of length n
   */
  int[] indices(Supplier<int[]> permutations) {
    int[] out = new int[total()];
    int at = 0;
    int[] perm = null;
    for (int i = 0; i < steps; i++) {
      int popped = i % chunksPerPermutation();
      if (popped == 0) { // indices_chunks is empty: refill it from a new permutation
        perm = permutations.get();
        checkArgument(perm.length == images, "a permutation of %s images has %s entries",
            images, perm.length);
      }
      int chunk = chunksPerPermutation() - 1 - popped;
      int from = chunk * batchSyn;
      int size = size(i);
      System.arraycopy(perm, from, out, at, size);
      at += size;
    }
    return out;
  }
}
