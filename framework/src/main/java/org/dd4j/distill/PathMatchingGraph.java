package org.dd4j.distill;

import java.util.ArrayList;
import java.util.List;
import org.dd4j.engine.Grad;
import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.Model;
import org.dd4j.models.Params;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.family.TFloating;

/**
 * The configured {@link MatchingLoss} on a student path that was computed outside the graph,
 * for {@link AdjointUnroll}: the path w_0..w_N and the expert segment traj[t..t+M] are fed as
 * flat rows, the loss sees them through the usual {@link Matching}, and the graph returns L and
 * {@code dL/dw_k} for every k (zero for the steps the loss does not read). No model, no
 * unroll: its size depends on N only through the loss itself.
 *
 * <p>Not thread-safe. Close it to free the graph and session.
 *
 * @param <T> TFloat32 (distillation) or TFloat64 (finite-difference checks)
 */
final class PathMatchingGraph<T extends TFloating> implements AutoCloseable {

  /**
   * @param loss L
   * @param pathGrad dL/dw_k, [N + 1, P] row-major
   */
  record Value(double loss, double[] pathGrad) {}

  private final Class<T> type;
  private final int pathRows;
  private final int segmentRows;
  private final int paramCount;
  private final Graph graph;
  private final Session session;
  private final Placeholder<T> path;
  private final Placeholder<T> expert;
  private final Operand<T> loss;
  private final Operand<T> pathGrad;

  PathMatchingGraph(Model model, DistillConfig config, Class<T> type, SessionOptions options) {
    this.type = type;
    this.pathRows = config.synSteps() + 1;
    this.segmentRows = config.expertEpochs() + 1;
    this.paramCount = Math.toIntExact(model.layout().totalSize());
    graph = new Graph();
    Ops tf = Ops.create(graph);
    path = tf.withName("student_path").placeholder(type,
        Placeholder.shape(Shape.of(pathRows, paramCount)));
    expert = tf.withName("expert_segment").placeholder(type,
        Placeholder.shape(Shape.of(segmentRows, paramCount)));
    List<Params<T>> student = rows(tf, model, path, pathRows); // w_0 .. w_N
    List<Params<T>> segment = rows(tf, model, expert, segmentRows); // traj[t .. t + M]
    loss = config.matchingLoss().apply(tf, new Matching<>(student, segment)); // scalar
    pathGrad = Grad.of(tf, loss, List.of(path)).get(0); // [N + 1, P]
    session = new Session(graph, options.toConfigProto());
  }

  private static <T extends TFloating> List<Params<T>> rows(Ops tf, Model model,
      Operand<T> matrix, int count) {
    List<Params<T>> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      Operand<T> row = tf.gather(matrix, tf.constant(k), tf.constant(0)); // [P]
      out.add(Params.fromFlat(tf, model.layout(), row));
    }
    return out;
  }

  /**
   * @param studentPath w_0..w_N, [N + 1, P] row-major
   * @param segment traj[t..t + M], [M + 1, P] row-major
   */
  Value run(double[] studentPath, double[] segment) {
    List<Tensor> owned = new ArrayList<>();
    try {
      Tensor p = Tensors.ofType(type, studentPath, pathRows, paramCount);
      owned.add(p);
      Tensor e = Tensors.ofType(type, segment, segmentRows, paramCount);
      owned.add(e);
      try (Result res = session.runner().feed(path, p).feed(expert, e).fetch(loss)
          .fetch(pathGrad).run()) {
        return new Value(Tensors.toDoublesWidening(res.get(0))[0],
            Tensors.toDoublesWidening(res.get(1)));
      }
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
