package org.dd4j.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dd4j.augment.Augmentation;
import org.dd4j.schedule.Schedule;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Scalars of a graph that follow a {@link Schedule} of the epoch (e.g. AST's loss scale
 * lambda_e): each is a scalar placeholder, fed with {@code schedule.at(epoch)} at every step,
 * so the graph is built once. Requesting the same name twice returns the same placeholder
 * (GSAM builds the objective twice, at w and at w + e, and both must see the same value).
 *
 * <p>Not thread-safe; used while building one graph and then to feed its runs.
 *
 * @param <T> float type of the graph (TFloat32 in training, TFloat64 in gradient checks)
 */
public final class ScheduledScalars<T extends TFloating> {

  private record Entry<T extends TFloating>(Placeholder<T> placeholder, Schedule schedule) {}

  private final Ops tf;
  private final Class<T> type;
  private final Map<String, Entry<T>> entries = new LinkedHashMap<>();

  /**
   * @param type TFloat32.class or TFloat64.class
   * @throws IllegalArgumentException for another type
   */
  public ScheduledScalars(Ops tf, Class<T> type) {
    checkArgument(type == TFloat32.class || type == TFloat64.class,
        "scheduled scalars are TFloat32 or TFloat64, got %s", type.getSimpleName());
    this.tf = tf;
    this.type = type;
  }

  /**
   * The scalar placeholder {@code name}, fed with {@code schedule.at(epoch)} (epoch 0-based).
   * A second request for {@code name} with the same schedule instance returns the first
   * placeholder.
   *
   * @return scalar operand, shape []
   * @throws IllegalArgumentException if {@code name} was requested with another schedule
   */
  public Operand<T> get(String name, Schedule schedule) {
    checkNotNull(name, "name");
    checkNotNull(schedule, "schedule");
    Entry<T> old = entries.get(name);
    checkArgument(old == null || old.schedule() == schedule,
        "scheduled scalar '%s' was already requested with another schedule", name);
    return entries.computeIfAbsent(name, n -> new Entry<>(
        tf.withName("scheduled_" + n.replaceAll("[^A-Za-z0-9_]", "_")).placeholder(type,
            Placeholder.shape(org.tensorflow.ndarray.Shape.scalar())), schedule))
        .placeholder();
  }

  /** Names requested so far, in request order. */
  public List<String> names() {
    return List.copyOf(entries.keySet());
  }

  /** Each scalar's value at {@code epoch} (0-based), by name. */
  public Map<String, Double> valuesAt(long epoch) {
    Map<String, Double> out = new LinkedHashMap<>();
    entries.forEach((n, e) -> out.put(n, e.schedule().at(epoch)));
    return out;
  }

  /**
   * Feeds every scalar's value at {@code epoch} (0-based) into {@code runner}.
   *
   * @return the fed tensors, to close after the run
   */
  public Augmentation.Feed feed(Session.Runner runner, long epoch) {
    List<Tensor> owned = new ArrayList<>();
    for (Entry<T> e : entries.values()) {
      double v = e.schedule().at(epoch);
      Tensor t = type == TFloat32.class ? TFloat32.scalarOf((float) v) : TFloat64.scalarOf(v);
      owned.add(t);
      runner.feed(e.placeholder(), t);
    }
    return () -> owned.forEach(Tensor::close);
  }
}
