// A matching loss written in the script: the cosine distance between the student's update
// w_N - w_0 and the expert's w* - w_0, added to MTT's normalized parameter distance.
//
//   ./dd4j run scripts/custom-matching-loss.exp.kts
//
// The lambda gets TensorFlow's Ops and the matching context m: m.student() is the student
// path w_0..w_N, m.expert() the expert snapshots at epochs t..t+M; m.studentFinal(),
// m.expertStart() and m.expertTarget() are w_N, w_0 and w*. flatten() gives one [P] vector.
// matchingLoss(...) registers the loss by name, so metadata and config.json name it.

val cosine = matchingLoss("cosine-update") { tf, m ->
    val start = m.expertStart().flatten(tf)                               // [P]
    val student = tf.math.sub(m.studentFinal().flatten(tf), start)        // [P]
    val expert = tf.math.sub(m.expertTarget().flatten(tf), start)         // [P]
    val axis = tf.constant(0)
    val dot = tf.reduceSum(tf.math.mul(student, expert), axis)
    val norms = tf.math.mul(
        tf.math.sqrt(tf.reduceSum(tf.math.square(student), axis)),
        tf.math.sqrt(tf.reduceSum(tf.math.square(expert), axis)))
    // 1 - cos; the epsilon keeps the gradient finite when the student has not moved
    tf.math.sub(tf.constant(1f), tf.math.div(dot, tf.math.add(norms, tf.constant(1e-12f))))
}

experiment("custom-matching-loss") {
    dataset = fashionMnist()
    model = convNet(depth = 3, width = 32)

    buffer {
        experts = 2
        epochs = 4
    }

    distill {
        ipc = 10
        iterations = 100
        synSteps = 10
        expertEpochs = 2
        maxStartEpoch = 2
        lrImg = 1000.0
        matchingLoss = normalizedParameterDistance() + 0.1 * cosine
        saveEvery = 50
    }

    evaluate {
        runs = 3
        epochs = 100
    }
}
