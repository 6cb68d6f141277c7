// MTT with a total-variation prior on the synthetic images: the objective is
//
//   L = matching loss + lambda(it) * R_TV(X),   lambda(it) = cosine decay from 1e-4 to 0
//
// R_TV is DeepInversion's total variation (Yin et al., CVPR 2020, R_prior; the authors'
// get_image_prior_losses): the Frobenius norms of the differences between neighbouring pixels
// in four directions, summed. metrics.jsonl logs the matching loss ("loss"), each term
// ("regularizers": weight and value) and L ("objective"); report.md charts them.
//
//   ./dd4j run scripts/regularized.exp.kts
//   ./dd4j run scripts/regularized.exp.kts --set distill.regularizers=none        # plain MTT
//   ./dd4j run scripts/regularized.exp.kts \
//       --set "distill.regularizers=total-variation(weight=1e-4) + image-l2(weight=1e-5)"
//
// The same terms from the command line: dd4j distill ... --regularizer \
//   "total-variation(weight=cosine(base=1e-4, steps=200, final=0))". A term of your own is a
// lambda: regularizer("name", weight = 1e-3) { tf, s -> /* a scalar from s.images(), ... */ }.
// docs/results.md ("A total-variation prior on top of MTT") measures it at a reduced budget.

experiment("regularized") {
    dataset = fashionMnist()
    model = convNet(depth = 3, width = 32)

    buffer {
        experts = 2
        epochs = 3
        optimizer = sgd(lr = 0.01)
    }

    distill {
        ipc = 10
        iterations = 200
        synSteps = 10
        expertEpochs = 2
        maxStartEpoch = 2
        lrImg = 1000.0
        lrLr = 1e-5
        lrTeacher = 0.01
        saveEvery = 50
        regularizers = listOf(totalVariation(weight = cosine(1e-4, steps = 200)))
    }

    evaluate {
        runs = 5
        epochs = 100
    }
}
