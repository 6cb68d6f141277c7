package org.dd4j.dsl

import org.dd4j.distill.Float32RegularizerFn
import org.dd4j.distill.ImageL2Prior
import org.dd4j.distill.LabelEntropy
import org.dd4j.distill.PixelRangePenalty
import org.dd4j.distill.Regularizer
import org.dd4j.distill.RegularizerInputs
import org.dd4j.distill.Regularizers
import org.dd4j.distill.TotalVariation
import org.dd4j.distill.WeightedRegularizer
import org.dd4j.schedule.Schedule
import org.dd4j.schedule.ScheduleText
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

// The regularizers of the distillation objective, L = matching loss + sum_k weight_k R_k:
//
//   distill { regularizers = listOf(totalVariation(weight = cosine(1e-4, steps = 500))) }
//
// Each delegates to the Java term named in its doc, through Regularizers.REGISTRY, so a
// script, the command line (--regularizer "total-variation(weight=1e-4)") and --set
// distill.regularizers=... describe the same term the same way. [weight] is a number or a
// Schedule of the outer iteration (cosine, linearRamp, ... of this DSL).

/** A term of [Regularizers.REGISTRY] with its arguments and weight. */
private fun registered(name: String, weight: Schedule, vararg args: Pair<String, String>):
    WeightedRegularizer {
  val text = (args.map { "${it.first}=${it.second}" } + "weight=0").joinToString(", ")
  val term = Regularizers.create("$name($text)").term()
  return WeightedRegularizer(term, weight)
}

/**
 * DeepInversion's total variation R_TV (Yin et al., CVPR 2020, R_prior; the authors'
 * get_image_prior_losses): over four neighbour directions, the sum of the Frobenius norms of
 * the differences ([norm] "l2", their default) or of their mean absolute values ("l1").
 */
fun totalVariation(weight: Schedule, norm: String = "l2"): WeightedRegularizer =
    registered(TotalVariation.NAME, weight, "norm" to norm)

/** [totalVariation] with a constant weight. */
fun totalVariation(weight: Double, norm: String = "l2"): WeightedRegularizer =
    totalVariation(ScheduleText.constant(weight), norm)

/** DeepInversion's L2 prior R_l2: the mean over the images of each image's L2 norm. */
fun imageL2(weight: Schedule): WeightedRegularizer = registered(ImageL2Prior.NAME, weight)

/** [imageL2] with a constant weight. */
fun imageL2(weight: Double): WeightedRegularizer = imageL2(ScheduleText.constant(weight))

/** Mean squared distance of the pixels outside the data's preprocessed range, per channel. */
fun pixelRange(weight: Schedule): WeightedRegularizer =
    registered(PixelRangePenalty.NAME, weight)

/** [pixelRange] with a constant weight. */
fun pixelRange(weight: Double): WeightedRegularizer = pixelRange(ScheduleText.constant(weight))

/**
 * Entropy of the learnable soft labels softmax(y / T) (DATM): [goal] "sharpen" (R = H) or
 * "smooth" (R = log C - H, the confidence penalty).
 */
fun labelEntropy(weight: Schedule, goal: String = "sharpen"): WeightedRegularizer =
    registered(LabelEntropy.NAME, weight, "goal" to goal)

/** [labelEntropy] with a constant weight. */
fun labelEntropy(weight: Double, goal: String = "sharpen"): WeightedRegularizer =
    labelEntropy(ScheduleText.constant(weight), goal)

/** Any registered regularizer by its description, e.g. `regularizer("image-l2(weight=1e-5)")`. */
fun regularizer(description: String): WeightedRegularizer = Regularizers.create(description)

/** Names registered by scripts in this process: a script run again may re-register them. */
private val scriptRegularizers = java.util.concurrent.ConcurrentHashMap.newKeySet<String>()

/**
 * A regularizer written in the script, registered under [name] (so configurations name it
 * and `--set distill.regularizers=name(weight=W)` finds it in the same process), with the
 * constant [weight]. The lambda builds an unweighted scalar from `s.images()` (X [n, H, W, C],
 * preprocessed), `s.labelLogits()` (Optional, [n, C] with learned labels), `s.synLr()`,
 * `s.path()` (the student path and expert snapshots, as a matching loss sees them) and
 * `s.range()`. Float32 only. A lambda returning a non-scalar, or a non-finite value on finite
 * inputs, is an error naming the script line of this call.
 *
 * ```
 * val smooth = regularizer("mean-square", weight = 1e-3) { tf, s ->
 *     tf.math.mean(tf.math.square(s.images()), tf.constant(intArrayOf(0, 1, 2, 3)))
 * }
 * distill { regularizers = listOf(smooth) }
 * ```
 */
fun regularizer(
    name: String,
    weight: Double = 1.0,
    fn: (tf: Ops, s: RegularizerInputs<TFloat32>) -> Operand<TFloat32>,
): WeightedRegularizer = regularizer(name, ScheduleText.constant(weight), fn)

/** [regularizer] with a [Schedule] of the outer iteration as its weight. */
fun regularizer(
    name: String,
    weight: Schedule,
    fn: (tf: Ops, s: RegularizerInputs<TFloat32>) -> Operand<TFloat32>,
): WeightedRegularizer {
  val term = Regularizer.float32(name, scriptLine(), Float32RegularizerFn { tf, s -> fn(tf, s) })
  if (scriptRegularizers.contains(name)) {
    Regularizers.replace(name) { term }
  } else {
    Regularizers.register(name) { term }
    scriptRegularizers.add(name)
  }
  return WeightedRegularizer(term, weight)
}

/** "file.exp.kts:LINE" of the script statement calling into the DSL, or "" outside a script. */
private fun scriptLine(): String = Throwable().stackTrace
    .firstOrNull { it.fileName?.endsWith(".exp.kts") == true && it.lineNumber > 0 }
    ?.let { "${it.fileName}:${it.lineNumber}" } ?: ""
