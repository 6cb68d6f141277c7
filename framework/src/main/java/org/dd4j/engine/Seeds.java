package org.dd4j.engine;

/**
 * Independent seeds from one: the seed of stream {@code i} of a run seeded {@code seed} (expert
 * i of a buffer, iteration i of a distillation), so that each can be drawn on its own (a
 * resumed run, an expert trained in another process) and still be the same.
 */
public final class Seeds {

  private Seeds() {}

  /**
   * SplitMix64's output function on {@code seed + golden gamma * (i + 1)} (Steele, Lea and
   * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the constants of
   * {@code java.util.SplittableRandom}).
   */
  public static long mix(long seed, long i) {
    long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
