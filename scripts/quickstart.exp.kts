// dd4j quickstart: MTT on Fashion-MNIST at a budget that finishes in minutes on 2 CPU cores.
//
//   ./dd4j run scripts/quickstart.exp.kts
//
// Outputs go to runs/quickstart/ (buffer/, and distill/ with summary.md and report.md). The
// paper-size settings are in mtt-cifar10.exp.kts; this one is small on purpose: 2 experts x 3
// epochs of a width-32 ConvNet-3, 200 distillation iterations, 5 evaluation networks x 100
// epochs.

experiment("quickstart") {
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
    }

    evaluate {
        runs = 5
        epochs = 100
    }
}
