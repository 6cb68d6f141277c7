package org.dd4j.dsl

import kotlin.reflect.KProperty
import org.dd4j.augment.DsaConfig
import org.dd4j.buffer.BufferSettings
import org.dd4j.buffer.ExpertRecipe
import org.dd4j.data.DataChoice
import org.dd4j.distill.DistillConfig
import org.dd4j.distribute.EngineChoice
import org.dd4j.evaluate.EvalConfig
import org.dd4j.evaluate.EvaluationPlan
import org.dd4j.evaluate.ScoreConfig
import org.dd4j.experiment.BufferPlan
import org.dd4j.experiment.DistillPlan
import org.dd4j.experiment.Experiment
import org.dd4j.experiment.MethodPreset
import org.dd4j.models.ModelChoice
import org.dd4j.settings.Setting
import org.dd4j.settings.Settings
import org.dd4j.settings.SettingsSchema
import org.dd4j.train.Objective
import org.dd4j.train.Optimizer
import org.dd4j.train.Training

// The builders hold no copies of settings: a property reads and writes the Java builder's
// value (distill { } is DistillConfig.Builder itself, whose get/set pairs Kotlin shows as
// properties) or a Settings.Builder of the phase's schema (buffer { }, evaluate { }), so every
// default is the one its Setting declares. Values are checked as they are set ("ipc must be
// > 0, got 0"), and each phase block again when it closes, so an error names the script line
// of that block; --set overrides are applied (and checked) when experiment { } closes.

/** `experiment("name") { ... }`: the dataset, the model and the phases. */
@Dd4jDsl
class ExperimentBuilder internal constructor(val name: String) {
  /** The dataset, e.g. `fashionMnist()`, `cifar10Jpeg()`, `dataset("mnist")`. */
  var dataset: DatasetRef = fashionMnist()

  /**
   * "none", "normalize" (reference constants for a known dataset, else fitted),
   * "normalize-reference", "normalize-fitted" or "zca"; null = the dataset's default.
   */
  var preprocess: String? = null

  /** The experts' and the student's architecture. */
  var model: ModelChoice = convNet()

  /**
   * A method over both phases, e.g. `method("ast")`: its expert preset and distillation
   * settings fill whatever the blocks leave unset ([MethodPreset]); null = MTT's defaults.
   */
  var method: MethodPreset? = null

  /**
   * Where independent units (experts, sweep points) run: `local()` (the default, in this
   * process) or `spark(master = "local[*]")`; `--engine` / `--master` win over it.
   */
  var engine: EngineChoice? = null

  internal var sweep: SweepBuilder? = null

  /** The grid `dd4j sweep` runs: `sweep { grid("distill.lr_img", 100, 1000) }`. */
  fun sweep(block: SweepBuilder.() -> Unit) {
    sweep = (sweep ?: SweepBuilder()).apply(block)
  }

  internal var buffer: BufferBuilder? = null
  internal var distill: DistillBuilder? = null
  internal var evaluate: EvaluateBuilder? = null

  /** Train experts on the real data (spec section 4). */
  fun buffer(block: BufferBuilder.() -> Unit) {
    buffer = (buffer ?: BufferBuilder()).apply(block).also { it.build() } // errors point here
  }

  /** Learn the synthetic set by trajectory matching (spec section 5). */
  fun distill(block: DistillBuilder.() -> Unit) {
    distill = (distill ?: DistillBuilder()).apply(block).also { it.plan() } // errors point here
  }

  /** Train fresh networks on the synthetic set and test them (spec section 6). */
  fun evaluate(block: EvaluateBuilder.() -> Unit) {
    evaluate = (evaluate ?: EvaluateBuilder()).apply(block).also { it.build(model) }
  }

  internal fun build(): Experiment {
    method?.let { m ->
      buffer?.let { m.applyToBuffer(it.settings) }
      distill?.let { m.applyToDistill(it) }
    }
    val data = DataChoice(dataset.name, preprocess ?: dataset.defaultPreprocess)
    return Experiment(
        name,
        data,
        model,
        buffer?.build(),
        distill?.plan(method),
        evaluate?.build(model),
    )
  }
}

/** A property that reads and writes [setting] in a phase builder's [Settings.Builder]. */
internal class SettingProperty<T>(private val setting: Setting<T>) {
  operator fun getValue(b: SettingsHolder, p: KProperty<*>): T = b.settings.get(setting)

  operator fun setValue(b: SettingsHolder, p: KProperty<*>, value: T) {
    b.settings.set(setting, value)
  }
}

/** A phase builder whose simple settings live in [settings] (one schema). */
abstract class SettingsHolder internal constructor(schema: SettingsSchema) {
  internal val settings: Settings.Builder = Settings.builder(schema)

  /** Sets the setting [key] names from text, as `--set phase.key=value` does. */
  fun set(key: String, value: String) {
    settings.parse(key, value)
  }
}

/** `buffer { experts = 10; epochs = 50; optimizer = sgd(lr = 0.01) }`. */
@Dd4jDsl
class BufferBuilder internal constructor() : SettingsHolder(BufferSettings.SCHEMA) {
  /** E, the number of experts (MTT: 100). */
  var experts: Int by SettingProperty(BufferSettings.EXPERTS)

  /** T, training epochs per expert; T + 1 snapshots are stored. */
  var epochs: Int by SettingProperty(BufferSettings.EPOCHS)

  /** Real images per SGD step (MTT's batch_train). */
  var batchTrain: Int by SettingProperty(BufferSettings.BATCH_TRAIN)

  /** The DSA strategy of the training batches, or "none"; see [augment]. */
  var dsa: String by SettingProperty(BufferSettings.DSA)

  /** Expert i is seeded from (seed, i). */
  var seed: Long by SettingProperty(BufferSettings.SEED)

  /** Whether the run writes TensorBoard event files (off here or in `distill { }`: none). */
  var tensorboard: Boolean by SettingProperty(BufferSettings.TENSORBOARD)

  /** Train on the first N training images only; 0 = all. */
  var trainImages: Int by SettingProperty(BufferSettings.TRAIN_IMAGES)

  /** Augmentation of the training batches: `dsa()` (MTT) or `noAugmentation()`. */
  var augment: Augment
    get() = Augment(dsa)
    set(value) { dsa = value.strategy }

  /** The expert recipe: `expertPreset("ast")`, `expertPreset("ast(gp_k=0.25)")`. */
  var preset: ExpertRecipe by SettingProperty(BufferSettings.PRESET)

  /** Replaces the [preset]'s optimizer: sgd(...) (MTT, AST) or gsam(...) (FTD). */
  var optimizer: Optimizer? = null

  /** Replaces the [preset]'s loss: crossEntropy() (MTT), + gradientPenalty(...) (AST). */
  var objective: Objective? = null

  internal fun build(): BufferPlan {
    val s = settings.build()
    val strategy = s.get(BufferSettings.DSA)
    val recipe = s.get(BufferSettings.PRESET).training(s.get(BufferSettings.EPOCHS),
        s.get(BufferSettings.BATCH_TRAIN), strategy != DsaConfig.NONE)
    val training = Training(recipe.epochs(), recipe.batchSize(),
        optimizer ?: recipe.optimizer(), objective ?: recipe.objective(), recipe.augment())
    return BufferPlan(s.get(BufferSettings.EXPERTS), training,
        if (strategy == DsaConfig.NONE) DsaConfig.DEFAULT_STRATEGY else strategy,
        s.get(BufferSettings.SEED), s.get(BufferSettings.TRAIN_IMAGES),
        s.get(BufferSettings.TENSORBOARD))
  }
}

/**
 * `distill { ipc = 10; synSteps = 20; expertEpochs = 2; maxStartEpoch = 20; ... }`: the Java
 * [DistillConfig.Builder] itself, so its properties are [DistillConfig.SCHEMA]'s settings
 * with their declared defaults (MTT's CIFAR-100 ipc 10 setting, 5,000 iterations), and a
 * setting added there is a property here. `lrImg(cosine(1000.0, 5000))` sets a schedule.
 */
@Dd4jDsl
class DistillBuilder internal constructor() : DistillConfig.Builder() {
  /** Augmentation of every student minibatch: `dsa()` (MTT) or `noAugmentation()`. */
  var augment: Augment
    get() = Augment(dsa)
    set(value) { dsa = value.strategy }

  internal fun plan(method: MethodPreset? = null): DistillPlan =
      DistillPlan(build(), null, method?.name())
}

/**
 * `evaluate { models = listOf(convNet(), model("alexnet")); runs = 5; epochs = 300 }`: the
 * protocol of spec section 6 (reference: 1000 epochs).
 */
@Dd4jDsl
class EvaluateBuilder internal constructor() : SettingsHolder(EvalConfig.SCHEMA) {
  /** Architectures to train on the synthetic set; null = the experiment's model. */
  var models: List<ModelChoice>? = null

  /** K networks per architecture and set. */
  var runs: Int by SettingProperty(EvalConfig.RUNS)

  /** E, training epochs of each network: E + 1 passes, lr x0.1 after pass E // 2 + 1. */
  var epochs: Int by SettingProperty(EvalConfig.EPOCHS)

  /** Images per SGD step (batch_train). */
  var batchTrain: Int by SettingProperty(EvalConfig.BATCH_TRAIN)

  /** SGD momentum of the evaluation networks. */
  var momentum: Double by SettingProperty(EvalConfig.MOMENTUM)

  /** Weight decay of the evaluation networks. */
  var weightDecay: Double by SettingProperty(EvalConfig.WEIGHT_DECAY)

  /** The DSA strategy while training the evaluation networks, or "none"; see [augment]. */
  var dsa: String by SettingProperty(EvalConfig.DSA)

  /** Evaluate random real images at the same ipc beside the distilled set. */
  var randomBaseline: Boolean by SettingProperty(EvalConfig.RANDOM_BASELINE)

  /** Seeds the networks' initializations and the random-real subset. */
  var seed: Long by SettingProperty(EvalConfig.SEED)

  /** Train a set with learned soft labels on their argmax instead (default: soft CE). */
  var hardLabels: Boolean by SettingProperty(EvalConfig.HARD_LABELS)

  /** T of the soft targets softmax(label logits / T) (DATM: 1). */
  var labelTemperature: Double by SettingProperty(EvalConfig.LABEL_TEMPERATURE)

  /** "dd-ranking" adds DD-Ranking's HLR, IOR, LRS and ARS of the set; "none". */
  var scores: String by SettingProperty(EvalConfig.SCORES)

  /** w of LRS (DD-Ranking's lrs_lambda). */
  var lrsWeight: Double by SettingProperty(EvalConfig.LRS_WEIGHT)

  /** gamma of ARS (DD-Ranking's ars_lambda). */
  var arsWeight: Double by SettingProperty(EvalConfig.ARS_WEIGHT)

  /** Search {0.001, ..., 0.1} for the sets DD-Ranking tunes. */
  var lrSearch: Boolean by SettingProperty(EvalConfig.LR_SEARCH)

  /** HLR's full-data accuracy as a fraction; 0 reads the cache. */
  var fullDataAccuracy: Double by SettingProperty(EvalConfig.FULL_DATA_ACCURACY)

  /** Measure (and cache) the full-data accuracy when it is not cached. */
  var fullData: Boolean by SettingProperty(EvalConfig.FULL_DATA)

  /** Augmentation while training the evaluation networks: `dsa()` or `noAugmentation()`. */
  var augment: Augment
    get() = Augment(dsa)
    set(value) { dsa = value.strategy }

  internal fun build(model: ModelChoice): EvaluationPlan {
    val s = settings.build()
    val config = EvalConfig.from(s)
    return EvaluationPlan(models ?: listOf(model), config, s.get(EvalConfig.RANDOM_BASELINE),
        ScoreConfig.from(s))
  }
}
