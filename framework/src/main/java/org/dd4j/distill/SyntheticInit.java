package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Path;
import org.dd4j.engine.SessionOptions;
import java.util.SplittableRandom;
import org.dd4j.data.ImageSet;
import org.dd4j.models.Model;
import org.dd4j.synthetic.SyntheticSet;

/**
 * How the synthetic images start (spec section 5; MTT's {@code --pix_init}). Open: the
 * built-in {@link #real()}, {@link #noise()} and {@link #representative(Path)} are joined by
 * any user implementation, and {@link SyntheticInitRegistry} resolves names. The
 * {@link #id()} is stored in a checkpoint's configuration, so a run resumes only with the
 * same initializer.
 */
public interface SyntheticInit {

  /**
   * The name written to configurations and checkpoints: "real", "noise", or e.g.
   * "representative(expert=0,embedding=features,clustering=per-image)"; stable across
   * versions, it identifies the initializer together with its options. Also its JSON form
   * in a run's config.json.
   */
  @JsonValue
  String id();

  /**
   * The starting synthetic set, with syn_lr = {@code context.synLr()}.
   *
   * @throws IllegalArgumentException if the data does not fit (e.g. a class with fewer than
   *     ipc images)
   */
  SyntheticSet initialize(Context context);

  /**
   * This initializer bound to the run's buffer directory and session threads, for one that
   * reads an expert (representative); the others return themselves.
   */
  default SyntheticInit forBuffer(Path buffer, SessionOptions session) {
    return this;
  }

  /**
   * What an initializer may read.
   *
   * @param model the distilled model (its spec gives the image shape and classes)
   * @param train preprocessed training split, labels in [0, numClasses); the space the
   *     synthetic images live in
   * @param numClasses C
   * @param ipc images per class, > 0
   * @param synLr initial syn_lr (MTT: lr_teacher), > 0
   * @param rng the run's initialization generator, {@code SplittableRandom(seed)}
   */
  record Context(Model model, ImageSet train, int numClasses, int ipc, double synLr,
      SplittableRandom rng) {
    public Context {
      checkNotNull(model, "model");
      checkNotNull(train, "train");
      checkNotNull(rng, "rng");
      checkArgument(numClasses > 0, "numClasses must be > 0, got %s", numClasses);
      checkArgument(ipc > 0, "ipc must be > 0, got %s", ipc);
    }
  }

  /** Random real training images of each class ({@link ImageInit#REAL}, id "real"). */
  static SyntheticInit real() {
    return ImageInit.REAL;
  }

  /** Every value N(0, 1) ({@link ImageInit#NOISE}, id "noise"). */
  static SyntheticInit noise() {
    return ImageInit.NOISE;
  }

  /**
   * AST's representative initialization with the defaults: expert 0's final checkpoint of
   * the buffer at {@code buffer}, penultimate features, ipc clusters and the image nearest
   * each centre. See {@link RepresentativeInit#builder(Path)} for the options.
   */
  static RepresentativeInit representative(Path buffer) {
    return RepresentativeInit.builder(buffer).build();
  }
}
