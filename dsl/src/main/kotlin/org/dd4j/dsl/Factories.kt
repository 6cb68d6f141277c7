package org.dd4j.dsl

import org.dd4j.augment.DsaConfig
import org.dd4j.buffer.ExpertRecipe
import org.dd4j.data.PreprocessingKinds
import org.dd4j.experiment.MethodPreset
import org.dd4j.models.ModelChoice
import org.dd4j.schedule.Schedule
import org.dd4j.schedule.ScheduleText
import org.dd4j.train.GradientPenalty
import org.dd4j.train.Gsam
import org.dd4j.train.Objective
import org.dd4j.train.Optimizer
import org.dd4j.train.Sgd

// Small functions that name the parts of an experiment. Each delegates to a Java factory;
// the names match the Java API and the CLI flags.

/**
 * A dataset by its registered name, with the preprocessing used unless `preprocess` says: by
 * default the dataset's ([PreprocessingKinds.defaultFor], as on the command line).
 */
data class DatasetRef(val name: String, val givenPreprocess: String? = null) {
  val defaultPreprocess: String
    get() = givenPreprocess ?: PreprocessingKinds.defaultFor(name)
}

/** Fashion-MNIST (28x28x1, 10 classes; Debian's dataset-fashion-mnist). */
fun fashionMnist() = DatasetRef("fashion-mnist")

/** MNIST (28x28x1, 10 classes). */
fun mnist() = DatasetRef("mnist")

/** CIFAR-10 binary (32x32x3), ZCA-whitened by default as MTT does for ipc 1 and 10. */
fun cifar10(zca: Boolean? = null) = DatasetRef("cifar10", zcaOr(zca))

/** CIFAR-10 as JPEG (quality 75, not bit-exact), from ../shared/data; ZCA by default. */
fun cifar10Jpeg(zca: Boolean? = null) = DatasetRef("cifar10-jpeg", zcaOr(zca))

/** CIFAR-100 binary (32x32x3, 100 classes), ZCA-whitened by default as MTT does. */
fun cifar100(zca: Boolean? = null) = DatasetRef("cifar100", zcaOr(zca))

/** `zca = true`: ZCA; `false`: normalize; null: the dataset's default. */
private fun zcaOr(zca: Boolean?): String? =
    zca?.let { if (it) PreprocessingKinds.ZCA else PreprocessingKinds.NORMALIZE }

/** A folder (or .tar.gz) of `class/image.png|jpg` files. */
fun imageFolder(path: String) = DatasetRef("image-folder:$path")

/** Any registered dataset, e.g. `dataset("mnist")`. */
fun dataset(name: String, preprocess: String? = null) = DatasetRef(name, preprocess)

/**
 * ConvNet-D (spec section 1): D conv-instance norm-ReLU-avgpool blocks, then linear; the
 * depth and width default to the registry's (ConvNet-3, width 128).
 */
fun convNet(depth: Int? = null, width: Int? = null) = ModelChoice("convnet", depth, width)

/** AlexNet of the DC/MTT evaluation pool (no norm, max pooling). */
fun alexNet() = ModelChoice("alexnet", null, null)

/** VGG11 with instance norm, or batch norm when [batchNorm]. */
fun vgg11(batchNorm: Boolean = false) = ModelChoice(if (batchNorm) "vgg11-bn" else "vgg11", null, null)

/**
 * ResNet18 (BasicBlock [2,2,2,2]) with instance norm, or batch norm when [batchNorm];
 * [avgPoolDownsampling] is ResNet18_AP (stride-1 convs + avg-pool 2).
 */
fun resNet18(batchNorm: Boolean = false, avgPoolDownsampling: Boolean = false) = ModelChoice(
    "resnet18" + (if (batchNorm) "-bn" else "") + (if (avgPoolDownsampling) "-ap" else ""),
    null, null)

/** Any registered architecture by name, e.g. `model("alexnet")`. */
fun model(name: String, depth: Int? = null, width: Int? = null) = ModelChoice(name, depth, width)

/**
 * SGD for the experts (PyTorch semantics: d = g + weightDecay * w; buf = momentum * buf + d;
 * w -= lr * buf). [lr] is lr_teacher, per parameter step; at each of [lrDecayEpochs]
 * (0-based) it is multiplied by [lrDecayFactor]. MTT: sgd(lr = 0.01); AST: momentum 0.9.
 */
fun sgd(
    lr: Double = 0.01,
    momentum: Double = 0.0,
    weightDecay: Double = 0.0,
    lrDecayFactor: Double = 1.0,
    lrDecayEpochs: List<Long> = emptyList(),
): Sgd = Optimizer.sgd(lr).withMomentum(momentum).withWeightDecay(weightDecay)
    .withLrDecay(lrDecayFactor, *lrDecayEpochs.toLongArray())

/**
 * An expert recipe of [ExpertRecipe.PRESETS]: "mtt", "ftd", "ast" (the authors' code),
 * "ftd-paper" or "ast-paper" (the papers' text), with field
 * overrides, e.g. `expertPreset("ast(gp_k=0.25)")`.
 */
fun expertPreset(description: String): ExpertRecipe = ExpertRecipe.named(description)

/**
 * A method over both phases, for `method = method("ast")`: "mtt", "ftd", "ast" (the authors'
 * code and run scripts), "ftd-paper" or "ast-paper" (the papers' text). It sets the buffer's
 * expert preset and the distillation settings in which the method differs from MTT
 * (docs/methods.md), wherever the blocks leave them unset.
 */
fun method(name: String): MethodPreset = MethodPreset.named(name)

/**
 * FTD's flat experts: GSAM around [base] (spec 4a), perturbation radius [rho] (adaptive,
 * scaled by |w|) and surrogate-gap weight [alpha].
 */
fun gsam(
    base: Sgd = sgd(),
    rho: Double = Gsam.DEFAULT_RHO,
    alpha: Double = Gsam.DEFAULT_ALPHA,
): Optimizer = Optimizer.gsam(base, rho, alpha)

/**
 * Mean cross-entropy of the augmented batch, times [scale] per epoch (AST's loss ramp:
 * `crossEntropy(scale = linearRamp(0.5, 1.0, epochs = 5))`).
 */
fun crossEntropy(scale: Schedule? = null): Objective =
    if (scale == null) Objective.crossEntropy() else Objective.crossEntropy(scale)

/**
 * AST's input-gradient penalty mu * E[(||grad_x sum(logits)|| - k)^2] on the un-augmented
 * batch (eq. 19); [norm] "per-sample" (the paper) or "per-pixel" (the authors' code).
 */
fun gradientPenalty(mu: Double = 1.0, k: Double = 1.0, norm: String = "per-sample"):
    Objective = Objective.gradientPenalty(mu, k, when (norm) {
      "per-sample" -> GradientPenalty.Norm.PER_SAMPLE
      "per-pixel" -> GradientPenalty.Norm.PER_PIXEL
      else -> throw IllegalArgumentException("gradientPenalty norm must be per-sample or per-pixel, got '$norm'")
    })

/** `a + b`: expert objectives add (e.g. crossEntropy(...) + gradientPenalty(...)). */
operator fun Objective.plus(other: Objective): Objective = this.plus(other)

/** A ramp over [epochs] epochs, named as AST writes it: `linearRamp(0.5, 1.0, epochs = 5)`. */
fun linearRamp(from: Double, to: Double, epochs: Int): Schedule =
    Schedule.linearRamp(from, to, epochs.toLong())

/** An augmentation strategy: DSA op groups joined by '_', or "none". */
data class Augment(val strategy: String) {
  init {
    if (strategy != NONE) DsaConfig.parse(strategy)
  }

  companion object {
    const val NONE = "none"
  }
}

/** DSA (Zhao & Bilen 2021) with MTT's strategy unless given. */
fun dsa(strategy: String = DsaConfig.DEFAULT_STRATEGY) = Augment(strategy)

/** No augmentation. */
fun noAugmentation() = Augment(Augment.NONE)

// Schedules: plain functions of the step (or epoch), as optax's. Any place that takes a
// Schedule takes these.

/** The same value at every step. */
fun constant(value: Double): Schedule = ScheduleText.constant(value)

/** [base], times [factor] at each boundary step reached. */
fun step(base: Double, factor: Double, vararg boundaries: Long): Schedule =
    Schedule.step(base, factor, *boundaries)

/** Linear from [from] at step 0 to [to] at [steps], then constant (AST's loss ramp). */
fun linearRamp(from: Double, to: Double, steps: Long): Schedule =
    ScheduleText.linear(from, to, steps)

/** Cosine decay from [base] to base * [finalFraction] over [steps]. */
fun cosine(base: Double, steps: Long, finalFraction: Double = 0.0): Schedule =
    ScheduleText.cosine(base, steps, finalFraction)

/**
 * Piecewise constant: [first] before the first boundary, then each pair's value from its
 * step on, e.g. `piecewise(0.01, 25L to 0.005, 40L to 0.001)`.
 */
fun piecewise(first: Double, vararg changes: Pair<Long, Double>): Schedule =
    Schedule.piecewise(first, changes.map { it.first }.toLongArray(),
        changes.map { it.second }.toDoubleArray())
