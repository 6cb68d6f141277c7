// The spark module's tests: experts of width 8 on 300 Fashion-MNIST images, a few seconds each.
experiment("tiny") {
    dataset = fashionMnist()
    model = convNet(depth = 2, width = 8)

    buffer {
        experts = 3
        epochs = 2
        trainImages = 300
        optimizer = sgd(lr = 0.01)
    }

    distill {
        ipc = 1
        iterations = 2
        synSteps = 3
        expertEpochs = 1
        maxStartEpoch = 1
        lrImg = 100.0
        lrLr = 1e-5
        lrTeacher = 0.01
        saveEvery = 2
    }

    evaluate {
        runs = 1
        epochs = 2
    }

    sweep {
        grid("distill.lr_img", 10, 100)
    }
}
