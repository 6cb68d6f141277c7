package org.dd4j.augment;

import org.dd4j.engine.SessionOptions;
import org.dd4j.engine.Tensors;
import org.dd4j.models.InputShape;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/** A float64 graph applying {@link Dsa} to fed images, for tests. */
final class DsaRunner implements AutoCloseable {

  final InputShape shape;
  private final Graph graph = new Graph();
  private final Placeholder<TFloat64> images;
  private final Operand<TFloat64> out;
  private final DsaFeeds<TFloat64> feeds;
  private final Session session;

  DsaRunner(InputShape shape) {
    this.shape = shape;
    Ops tf = Ops.create(graph);
    images = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, shape.height(),
        shape.width(), shape.channels())));
    feeds = DsaFeeds.create(tf, TFloat64.class, shape);
    out = Dsa.apply(tf, images, feeds);
    session = new Session(graph, SessionOptions.threads(2).toConfigProto());
  }

  double[] run(double[] x, DsaParams params) {
    Session.Runner r = session.runner();
    try (TFloat64 xt = Tensors.doubles(x, params.batch(), shape.height(), shape.width(),
            shape.channels());
        DsaFeeds.Fed fed = feeds.feed(r.feed(images, xt), params);
        Result res = r.fetch(out).run()) {
      return Tensors.toDoubles(res.get(0));
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
