package org.dd4j.dsl

import org.dd4j.buffer.ExpertObjective
import org.dd4j.buffer.ExpertOptimizer
import org.dd4j.buffer.ExpertTraining
import org.dd4j.distill.DistillConfig
import org.dd4j.distill.SyntheticInit
import org.dd4j.distill.InnerLossTransform
import org.dd4j.distill.MatchingLoss
import org.dd4j.distill.StartPerturbation
import org.dd4j.evaluate.EvalConfig
import org.dd4j.experiment.BufferPlan
import org.dd4j.experiment.DataChoice
import org.dd4j.experiment.DistillPlan
import org.dd4j.experiment.EvaluationPlan
import org.dd4j.experiment.Experiment
import org.dd4j.experiment.ModelChoice
import org.dd4j.schedule.Schedule

// The builders only collect values; build() hands them to the Java records, whose
// constructors validate them ("ipc must be > 0, got 0"). Each phase block is validated when it
// closes, so an error names the script line of that block; --set overrides are applied (and
// validated again) when experiment { } closes.

/** `experiment("name") { ... }`: the dataset, the model and the phases. */
@Dd4jDsl
class ExperimentBuilder internal constructor(val name: String) {
  /** The dataset, e.g. `fashionMnist()`, `cifar10Jpeg()`, `dataset("mnist")`. */
  var dataset: DatasetRef = fashionMnist()

  /** "none", "normalize" or "zca"; null = the dataset's default. */
  var preprocess: String? = null

  /** The experts' and the student's architecture. */
  var model: ModelChoice = convNet()

  internal var buffer: BufferBuilder? = null
  internal var distill: DistillBuilder? = null
  internal var evaluate: EvaluateBuilder? = null

  /** Train experts on the real data (spec section 4). */
  fun buffer(block: BufferBuilder.() -> Unit) {
    buffer = (buffer ?: BufferBuilder()).apply(block).also { it.build() } // errors point here
  }

  /** Learn the synthetic set by trajectory matching (spec section 5). */
  fun distill(block: DistillBuilder.() -> Unit) {
    distill = (distill ?: DistillBuilder()).apply(block).also { it.build() } // errors point here
  }

  /** Train fresh networks on the synthetic set and test them (spec section 6). */
  fun evaluate(block: EvaluateBuilder.() -> Unit) {
    evaluate = (evaluate ?: EvaluateBuilder()).apply(block).also { it.build(model) }
  }

  internal fun build(): Experiment {
    val data = DataChoice(dataset.name, preprocess ?: dataset.defaultPreprocess)
    return Experiment(
        name,
        data,
        model,
        buffer?.build(),
        distill?.build(),
        evaluate?.build(model),
    )
  }
}

/** `buffer { experts = 10; epochs = 50; optimizer = sgd(lr = 0.01) }`. */
@Dd4jDsl
class BufferBuilder internal constructor() {
  /** E, the number of experts (MTT: 100). */
  var experts: Int = 10

  /** T, training epochs per expert; T + 1 snapshots are stored. */
  var epochs: Int = 50

  /** Real images per SGD step (MTT's batch_train). */
  var batchSize: Int = 256

  /** The experts' optimizer: sgd(...) (MTT, AST) or gsam(...) (FTD); lr is lr_teacher. */
  var optimizer: ExpertOptimizer = sgd()

  /** The loss each step minimizes: crossEntropy() (MTT), + gradientPenalty(...) (AST). */
  var objective: ExpertObjective = crossEntropy()

  /** Augmentation of the training batches (MTT: DSA). */
  var augment: Augment = dsa()

  /** Expert i is seeded from (seed, i). */
  var seed: Long = 0

  internal fun build(): BufferPlan {
    val training = ExpertTraining(epochs, batchSize, optimizer, objective,
        augment.strategy != Augment.NONE)
    val strategy = if (augment.strategy == Augment.NONE) dsa().strategy else augment.strategy
    return BufferPlan(experts, training, strategy, seed)
  }
}

/**
 * `distill { ipc = 10; synSteps = 20; expertEpochs = 2; maxStartEpoch = 20; ... }`. Defaults
 * as `dd4j distill`'s (MTT's CIFAR-100 ipc 10 setting, 5,000 iterations).
 */
@Dd4jDsl
class DistillBuilder internal constructor() {
  /** Synthetic images per class. */
  var ipc: Int = 10

  /** Outer iterations. */
  var iterations: Int = 5000

  /** N, student steps unrolled per iteration (syn_steps). */
  var synSteps: Int = 20

  /** M, expert epochs between the start and the target (expert_epochs). */
  var expertEpochs: Int = 2

  /** T+, start epochs are drawn from 0 until T+ (max_start_epoch). */
  var maxStartEpoch: Int = 20

  /** Learning rate of the synthetic pixels (lr_img); `lrImg(schedule)` for a schedule. */
  var lrImg: Double = 1000.0

  /** Learning rate of syn_lr (lr_lr); `lrLr(schedule)` for a schedule. */
  var lrLr: Double = 1e-5

  private var lrImgSchedule: Schedule? = null
  private var lrLrSchedule: Schedule? = null

  /** lr_img as a schedule of the image updates, e.g. `lrImg(cosine(1000.0, 5000))`. */
  fun lrImg(schedule: Schedule) {
    lrImg = schedule.at(0)
    lrImgSchedule = schedule
  }

  /** lr_lr as a schedule of the syn_lr updates. */
  fun lrLr(schedule: Schedule) {
    lrLr = schedule.at(0)
    lrLrSchedule = schedule
  }

  /** Initial syn_lr: the experts' learning rate (lr_teacher). */
  var lrTeacher: Double = 0.01

  /** Synthetic images per student step; 0 = all C * ipc (batch_syn). */
  var batchSyn: Int = 0

  /** Initial images (pix_init): realImages(), noise() or representative() (AST). */
  var init: SyntheticInit = realImages()

  /** Augmentation of every student minibatch (MTT: DSA). */
  var augment: Augment = dsa()

  /** Momentum of the images' SGD (MTT 0.5). */
  var imageMomentum: Double = 0.5

  /** Momentum of syn_lr's SGD (MTT 0.5). */
  var lrMomentum: Double = 0.5

  /** An update taking syn_lr above this multiple of lr_teacher is skipped as exploding. */
  var maxSynLrRatio: Double = 100.0

  /** Skipped (diverged) iterations in a row after which the run stops. */
  var maxConsecutiveFailures: Int = 10

  /** What the student's landing point is compared with (MTT: normalizedParameterDistance()). */
  var matching: MatchingLoss = normalizedParameterDistance()

  /** Scales each student step's cross-entropy (AST: balancedInnerLoss()). */
  var innerLoss: InnerLossTransform = plainInnerLoss()

  /** Perturbs the expert start before unrolling (AST: filterWisePerturbation()). */
  var startPerturbation: StartPerturbation = noPerturbation()

  /** Momentum of the student's SGD steps, 0 = plain SGD (AST's code uses 0.9). */
  var innerMomentum: Double = 0.0

  /** Decay of the images' exponential moving average (FTD: 0.999); 0 = no EMA. */
  var emaDecay: Double = 0.0

  /** Seeds the initialization and every iteration's draws. */
  var seed: Long = 0

  /** Iterations between checkpoints and saved synthetic sets. */
  var saveEvery: Int = 100

  /** Iterations between evaluations during the run (eval_it); 0 = only at the end. */
  var evalEvery: Int = 0

  internal fun build(): DistillPlan {
    val config = DistillConfig.builder()
        .ipc(ipc).iterations(iterations).synSteps(synSteps).expertEpochs(expertEpochs)
        .maxStartEpoch(maxStartEpoch).lrTeacher(lrTeacher)
        .apply {
          // a schedule set in the script holds unless lrImg / lrLr was set (or overridden)
          // to another start value afterwards
          val img = lrImgSchedule
          if (img != null && img.at(0) == lrImg) lrImg(img) else lrImg(lrImg)
          val lr = lrLrSchedule
          if (lr != null && lr.at(0) == lrLr) lrLr(lr) else lrLr(lrLr)
        }
        .batchSyn(batchSyn).imageInit(init).dsaStrategy(augment.strategy)
        .imageMomentum(imageMomentum).lrMomentum(lrMomentum).maxSynLrRatio(maxSynLrRatio)
        .maxConsecutiveFailures(maxConsecutiveFailures).matchingLoss(matching)
        .innerLoss(innerLoss).startPerturbation(startPerturbation).innerMomentum(innerMomentum)
        .emaDecay(emaDecay).seed(seed)
        .build()
    return DistillPlan(config, saveEvery, evalEvery)
  }
}

/**
 * `evaluate { models = listOf(convNet(), model("alexnet")); runs = 5; epochs = 300 }`: the
 * protocol of spec section 6 (reference: 1000 epochs).
 */
@Dd4jDsl
class EvaluateBuilder internal constructor() {
  /** Architectures to train on the synthetic set; null = the experiment's model. */
  var models: List<ModelChoice>? = null

  /** K networks per architecture and set. */
  var runs: Int = 5

  /** Training epochs of each network (lr x0.1 at half). */
  var epochs: Int = 300

  /** Images per SGD step (batch_train). */
  var batchSize: Int = 256

  /** SGD momentum of the evaluation networks. */
  var momentum: Double = 0.9

  /** Weight decay of the evaluation networks. */
  var weightDecay: Double = 5e-4

  /** Augmentation while training the evaluation networks (MTT: DSA). */
  var augment: Augment = dsa()

  /** Evaluate random real images at the same ipc beside the distilled set. */
  var randomBaseline: Boolean = true

  /** Seeds the networks' initializations and the random-real subset. */
  var seed: Long = 0

  internal fun build(model: ModelChoice): EvaluationPlan {
    val config = EvalConfig(epochs, batchSize, momentum, weightDecay, runs, augment.strategy,
        seed)
    return EvaluationPlan(models ?: listOf(model), config, randomBaseline)
  }
}
