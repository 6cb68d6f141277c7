// A reduced lr_img x syn_steps sweep on Fashion-MNIST (MTT's hand-run grid, at a tiny budget):
//   ./dd4j sweep scripts/sweep-fmnist.exp.kts                  # points one after another
//   ./dd4j sweep scripts/sweep-fmnist.exp.kts --engine spark   # one Spark task per point
// The buffer (4 experts of a width-16 ConvNet on 2,000 images) is trained once and shared;
// each point distils ipc 1 for 30 iterations and trains 2 networks on the result.
experiment("sweep-fmnist") {
    dataset = fashionMnist()
    model = convNet(depth = 3, width = 16)

    buffer {
        experts = 4
        epochs = 3
        trainImages = 2000
        optimizer = sgd(lr = 0.01)
    }

    distill {
        ipc = 1
        iterations = 30
        synSteps = 10
        expertEpochs = 2
        maxStartEpoch = 1
        lrImg = 100.0
        lrLr = 1e-5
        lrTeacher = 0.01
        saveEvery = 30
    }

    evaluate {
        runs = 2
        epochs = 50
    }

    sweep {
        grid("distill.lr_img", 100, 1000)
        grid("distill.syn_steps", 10, 20)
    }
}
