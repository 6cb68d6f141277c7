package org.dd4j.dsl

import org.dd4j.distill.BalancedInnerLoss
import org.dd4j.distill.ImageInit
import org.dd4j.distill.InnerLossTransforms
import org.dd4j.distill.SyntheticInit
import org.dd4j.distill.SyntheticInitRegistry
import org.dd4j.distill.FilterWisePerturbation
import org.dd4j.distill.InnerLossTransform
import org.dd4j.distill.IntermediateMatching
import org.dd4j.distill.LayerWisePerturbation
import org.dd4j.distill.Matching
import org.dd4j.distill.MatchingLoss
import org.dd4j.distill.MatchingLosses
import org.dd4j.distill.NormalizedParameterDistance
import org.dd4j.distill.StartPerturbation
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

// The distillation pieces a script composes: matching losses, the inner-loss transform and
// the start perturbation. Each delegates to the Java implementation named in its doc.

/** MTT's loss: ||w_N - w*||^2 / ||w_0 - w*||^2 (spec section 5, step 4). */
fun normalizedParameterDistance(): MatchingLoss = NormalizedParameterDistance()

/**
 * AST's intermediate matching (eq. 22): the student at steps floor(kN/M), k = 1..M, is
 * matched to expert epoch t + k; [weights] "equal" (beta_k = 1, the paper's best) or
 * "linear" (beta_k = k / M); [points] "even" (floor(kN/M)) or "code" ((N // M) * k, AST's
 * distill.py).
 */
fun intermediateMatching(weights: String = "equal", points: String = "even"): MatchingLoss =
    MatchingLosses.create("${IntermediateMatching.NAME}(weights=$weights, points=$points)")

/** `a + b`: the sum of two matching losses. */
operator fun MatchingLoss.plus(other: MatchingLoss): MatchingLoss = this.plus(other)

/** `0.5 * loss`: a weighted matching loss. */
operator fun Double.times(loss: MatchingLoss): MatchingLoss = loss.times(this)

/** `loss * 0.5`: a weighted matching loss. */
operator fun MatchingLoss.times(weight: Double): MatchingLoss = this.times(weight)

/** Names registered by scripts in this process: a script run again may re-register them. */
private val scriptLosses = java.util.concurrent.ConcurrentHashMap.newKeySet<String>()

/**
 * A matching loss written in the script, registered under [name] (so configurations and
 * metadata name it, and `--set distill.matching=name` finds it in the same process). A name
 * that Java or another piece already registered is an error; the same script evaluated again
 * in one process replaces its own loss. The lambda builds
 * a scalar from the student path `m.student()` (w_0..w_N) and the expert snapshots
 * `m.expert()` (epochs t..t+M); `m.studentFinal()`, `m.expertStart()`, `m.expertTarget()`
 * are the usual three. Float32 graphs only (the distillation graph is float32).
 *
 * ```
 * val cosine = matchingLoss("cosine") { tf, m -> ... }
 * distill { matchingLoss = cosine }
 * ```
 */
fun matchingLoss(
    name: String,
    fn: (tf: Ops, m: Matching<TFloat32>) -> Operand<TFloat32>,
): MatchingLoss {
  val loss = MatchingLoss.float32(name) { tf, m -> fn(tf, m) }
  if (scriptLosses.contains(name)) {
    MatchingLosses.REGISTRY.replace(name) { loss }
  } else {
    MatchingLosses.register(name) { loss }
    scriptLosses.add(name)
  }
  return loss
}

/** Random real training images of each class (MTT's pix_init 'real'). */
fun realImages(): SyntheticInit = ImageInit.REAL

/** Every value drawn from N(0, 1) (pix_init 'noise'). */
fun noise(): SyntheticInit = ImageInit.NOISE

/**
 * AST's representative initialization (IV-C1): each class's real images embedded with
 * buffer expert [expert]'s final snapshot ([embedding] "features" or "logits"), K-Means
 * into ipc clusters ([clustering] "per-image", the paper; "ten-clusters", the authors'
 * code), the real image nearest each centre. Uses the experiment's own buffer.
 */
fun representative(expert: Int = 0, embedding: String = "features",
    clustering: String = "per-image"): SyntheticInit =
    SyntheticInitRegistry.REGISTRY.parse(
        "representative(expert=$expert,embedding=$embedding,clustering=$clustering)")

/**
 * DATM's correct-only initialization (pix_init samples_predicted_correctly): ipc real images
 * per class that the buffer's experts (final checkpoint) classify correctly, expert 0 first,
 * the next when one has too few. Uses the experiment's own buffer.
 */
fun correctOnly(): SyntheticInit = SyntheticInitRegistry.REGISTRY.parse("correct-only")

/** No inner-loss transform: plain mean cross-entropy in every student step (MTT). */
fun plainInnerLoss(): InnerLossTransform = InnerLossTransform.identity()

/**
 * AST's balanced inner-loop loss (eq. 20): each student step's CE is scaled by nu(t), with
 * [theta] 8; [logBase] "e" (the paper) or "5" (the authors' code); [middle] "half" (T+ / 2,
 * the paper) or "floor" (T+ // 2, the code; the default with log base 5).
 */
fun balancedInnerLoss(
    logBase: String = "e",
    theta: Double = 8.0,
    middle: String = if (logBase == "5") "floor" else "half",
): InnerLossTransform = InnerLossTransforms.create(
    "${BalancedInnerLoss.NAME}(theta=$theta, log_base=$logBase, middle=$middle)")

/** The expert start is used as stored (MTT). */
fun noPerturbation(): StartPerturbation = StartPerturbation.none()

/**
 * AST's weight perturbation of the expert start (eq. 23): every conv filter moves by a
 * Gaussian direction of norm [rho] times the filter's norm; biases and norm parameters stay.
 */
fun filterWisePerturbation(rho: Double = 0.1): StartPerturbation = FilterWisePerturbation(rho)

/**
 * The authors' code's start perturbation (distill.py weightPerturb): every conv weight
 * W <- W + [coefficient] * (d / ||d||_F) * W, element-wise.
 */
fun layerWisePerturbation(coefficient: Double = 1.0): StartPerturbation =
    LayerWisePerturbation(coefficient)
