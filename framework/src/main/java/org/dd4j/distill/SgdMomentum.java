package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.dd4j.engine.HeavyBall;
import org.dd4j.schedule.Schedule;

/**
 * SGD with momentum as an (init, update) pair over immutable state: the rule of
 * {@link HeavyBall} (PyTorch's, no weight decay here),
 * {@code buf <- momentum * buf + g; p <- p - lr * buf}, the buffer starting at zero (the
 * same as PyTorch's {@code buf = g} on the first step), with lr a schedule of the update
 * count. Arithmetic is float32, as in the reference. Used by MTT for the synthetic images
 * (lr_img, momentum 0.5) and for the learnable syn_lr (lr_lr, momentum 0.5), as a
 * one-element vector.
 *
 * <p>The update runs in Java: the image gradient is fetched from the graph each iteration
 * anyway, and the update is a few float operations per pixel.
 *
 * <p>References: MTT (Cazenavette et al., CVPR 2022), Algorithm 1, lines 13-14; spec
 * section 5; {@code torch.optim.SGD}.
 *
 * @param learningRate step size as a function of the 0-based update count
 * @param momentum in [0, 1)
 */
public record SgdMomentum(Schedule learningRate, double momentum) {

  public SgdMomentum {
    checkNotNull(learningRate, "learningRate");
    checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s",
        momentum);
  }

  /** A constant learning rate. */
  public static SgdMomentum of(double learningRate, double momentum) {
    checkArgument(learningRate >= 0 && Double.isFinite(learningRate),
        "learningRate must be finite and >= 0, got %s", learningRate);
    return new SgdMomentum(Schedule.constant(learningRate), momentum);
  }

  /**
   * The optimizer's state: plain data, so that a checkpoint can store it.
   *
   * @param buffer the momentum buffer, one value per optimized parameter (copied in and out)
   * @param steps updates applied so far
   */
  public record State(float[] buffer, long steps) {

    public State {
      checkNotNull(buffer, "buffer");
      checkArgument(steps >= 0, "steps must be >= 0, got %s", steps);
      buffer = buffer.clone();
    }

    @Override
    public float[] buffer() {
      return buffer.clone();
    }

    /** Number of optimized parameters. */
    public int size() {
      return buffer.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State s && steps == s.steps && java.util.Arrays.equals(buffer,
          s.buffer);
    }

    @Override
    public int hashCode() {
      return 31 * java.util.Arrays.hashCode(buffer) + Long.hashCode(steps);
    }

    @Override
    public String toString() {
      return "State[size=" + buffer.length + ", steps=" + steps + "]";
    }
  }

  /**
   * New parameters and state after one update.
   *
   * @param params the updated parameters (a new array)
   * @param state the new state
   */
  public record Update(float[] params, State state) {}

  /** Zero momentum for {@code size} parameters. */
  public State init(int size) {
    checkArgument(size > 0, "size must be > 0, got %s", size);
    return new State(new float[size], 0);
  }

  /**
   * One step. Pure: neither {@code params}, {@code grad} nor {@code state} is modified.
   *
   * @param params current parameters, length {@code state.size()}
   * @param grad gradient of the loss w.r.t. {@code params}, same length
   * @throws IllegalArgumentException if the lengths differ
   */
  public Update update(float[] params, float[] grad, State state) {
    checkArgument(params.length == state.size() && grad.length == state.size(),
        "params (%s), grad (%s) and state (%s) must have the same length", params.length,
        grad.length, state.size());
    float[][] wv = HeavyBall.step(params, state.buffer, grad,
        (float) learningRate.at(state.steps()), (float) momentum);
    return new Update(wv[0], new State(wv[1], state.steps() + 1));
  }
}
