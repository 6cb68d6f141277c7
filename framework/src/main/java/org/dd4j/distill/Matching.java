package org.dd4j.distill;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import org.dd4j.models.Params;
import org.tensorflow.types.family.TFloating;

/**
 * What a {@link MatchingLoss} sees in one outer iteration: the whole unrolled student path and
 * the expert's snapshots over the matched segment, all as graph operands.
 *
 * @param student w_0, w_1, ..., w_N: the student after 0..N syn_steps (N + 1 entries, w_0 =
 *     {@code expert.get(0)})
 * @param expert traj[t], traj[t + 1], ..., traj[t + M]: the expert's snapshots at epochs t to t
 *     + M (M + 1 entries, M = expert_epochs); index 0 is the student's start, after any
 *     {@link StartPerturbation}
 * @param <T> float type of the graph
 */
public record Matching<T extends TFloating>(List<Params<T>> student, List<Params<T>> expert) {

  /** @throws IllegalArgumentException if either path has fewer than two entries */
  public Matching {
    student = List.copyOf(student);
    expert = List.copyOf(expert);
    checkArgument(student.size() >= 2, "the student path needs w_0 and at least one step, got"
        + " %s entries", student.size());
    checkArgument(expert.size() >= 2, "the expert segment needs traj[t] and at least"
        + " traj[t + 1], got %s entries", expert.size());
  }

  /** N, the number of student steps. */
  public int synSteps() {
    return student.size() - 1;
  }

  /** M, the number of expert epochs between start and target. */
  public int expertEpochs() {
    return expert.size() - 1;
  }

  /** w_N, the student after all N steps. */
  public Params<T> studentFinal() {
    return student.get(synSteps());
  }

  /** traj[t], the (possibly perturbed) start: w_0. */
  public Params<T> expertStart() {
    return expert.get(0);
  }

  /** traj[t + M], the target w*. */
  public Params<T> expertTarget() {
    return expert.get(expertEpochs());
  }
}
