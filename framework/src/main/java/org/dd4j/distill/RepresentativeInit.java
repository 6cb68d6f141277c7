package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import org.dd4j.engine.SessionOptions;
import org.dd4j.models.InputShape;
import org.dd4j.select.Coreset;
import org.dd4j.select.CoresetSelection;
import org.dd4j.select.EmbeddingLayer;
import org.dd4j.select.ExpertEmbedder;
import org.dd4j.select.KMeansCoreset;
import org.dd4j.storage.BufferDirectory;
import org.dd4j.synthetic.SyntheticSet;

/**
 * AST's representative initialization: for each class, embed all its real training images
 * with an expert's final checkpoint, K-Means them and start from the real images nearest the
 * centres (distinct images; see {@link org.dd4j.select.KMeansRepresentatives}). K-Means is
 * seeded by the run's initialization generator, one draw per class.
 *
 * <p>References: AST (Shen et al., "Awesome Smooth Trajectories", 2023), section IV-C1; spec
 * section 5b.
 *
 * @param buffer buffer directory whose expert embeds the images; its model must be the
 *     distilled one; null until {@link #forBuffer} binds the run's buffer
 * @param expert index of a complete expert of that buffer (its last epoch is used), >= 0
 * @param embedding penultimate features (paper, default) or logits (AST's code)
 * @param clustering ipc clusters with one image each (paper, default; works at ipc 1) or 10
 *     clusters with ipc / 10 images each (AST's code)
 * @param session threads of the embedding session
 */
public record RepresentativeInit(Path buffer, int expert, EmbeddingLayer embedding,
    KMeansCoreset.Clustering clustering, SessionOptions session) implements SyntheticInit {

  public RepresentativeInit {
    checkArgument(expert >= 0, "expert must be >= 0, got %s", expert);
    checkNotNull(embedding, "embedding");
    checkNotNull(clustering, "clustering");
    checkNotNull(session, "session");
  }

  /** A builder with the defaults: expert 0, features, per-image clustering, default threads. */
  public static Builder builder(Path buffer) {
    return new Builder(buffer);
  }

  /** "representative(expert=E,embedding=features|logits,clustering=per-image|ten-clusters)". */
  @Override
  public String id() {
    return "representative(expert=" + expert + ",embedding=" + embedding.id() + ",clustering="
        + clustering.id() + ")";
  }

  /**
   * @throws org.dd4j.storage.TrajectoryFormatException if the buffer cannot be read or was
   *     made for another model
   * @throws IllegalArgumentException if the expert is not complete, a class has fewer than
   *     ipc images, or 'ten-clusters' is asked for an ipc that is not a multiple of 10
   */
  @Override
  public SyntheticInit forBuffer(Path runBuffer, SessionOptions runSession) {
    return new RepresentativeInit(runBuffer, expert, embedding, clustering, runSession);
  }

  @Override
  public SyntheticSet initialize(Context c) {
    checkArgument(buffer != null, "%s reads an expert of the run's buffer, but no buffer was"
        + " given; distil from a buffer (dd4j distill --buffer DIR, or a buffer { } phase)",
        id());
    BufferDirectory buf = BufferDirectory.open(buffer, c.model().spec());
    checkArgument(buf.completeExperts().contains(expert),
        "expert %s of buffer %s is not complete; complete experts: %s", expert, buffer,
        buf.completeExperts());
    int[] picked;
    try (ExpertEmbedder embedder = new ExpertEmbedder(c.model(),
        ExpertEmbedder.finalSnapshot(buf, expert), embedding, ExpertEmbedder.DEFAULT_BATCH,
        session)) {
      picked = CoresetSelection.select(Coreset.kMeans(clustering), c.train(),
          c.numClasses(), c.ipc(), embedder, c.rng()); // [C * ipc], class-major
    }
    var tr = c.train();
    return new SyntheticSet(tr.select(picked).images(),
        SyntheticSet.classMajorLabels(c.numClasses(), c.ipc()),
        new InputShape(tr.height(), tr.width(), tr.channels()), c.numClasses(), c.ipc(),
        c.synLr());
  }

  /** Builds a {@link RepresentativeInit}; only the buffer is required. */
  public static final class Builder {
    private final Path buffer;
    private int expert;
    private EmbeddingLayer embedding = EmbeddingLayer.FEATURES;
    private KMeansCoreset.Clustering clustering = KMeansCoreset.Clustering.PER_IMAGE;
    private SessionOptions session = SessionOptions.defaults();

    private Builder(Path buffer) {
      this.buffer = buffer;
    }

    public Builder expert(int v) {
      expert = v;
      return this;
    }

    public Builder embedding(EmbeddingLayer v) {
      embedding = v;
      return this;
    }

    public Builder clustering(KMeansCoreset.Clustering v) {
      clustering = v;
      return this;
    }

    public Builder session(SessionOptions v) {
      session = v;
      return this;
    }

    /** @throws IllegalArgumentException naming the first invalid value */
    public RepresentativeInit build() {
      return new RepresentativeInit(buffer, expert, embedding, clustering, session);
    }
  }
}
