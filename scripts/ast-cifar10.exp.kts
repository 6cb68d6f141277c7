// AST (Shen, Yang, Lam 2023) on CIFAR-10, ipc 10, every piece on (the paper's rules, spec
// 4b and 5b): smooth experts (momentum 0.9, loss-scale ramp 0.5 -> 1 over 5 epochs, input
// gradient penalty mu 1, K 1), representative K-Means initialization, balanced inner loss
// (theta 8), intermediate matching (equal weights), filter-wise weight perturbation of the
// expert start (rho 0.1). A GPU-sized job at these settings.
//
//   ./dd4j run scripts/ast-cifar10.exp.kts
//   ./dd4j run scripts/ast-cifar10.exp.kts --set model.width=32 --set buffer.experts=2 \
//       --set buffer.epochs=8 --set distill.syn_steps=10 --set distill.max_start_epoch=6 \
//       --set distill.iterations=300 --set distill.lr_img=1000 --set evaluate.epochs=300
//                                                   # reduced, for 2 CPU cores
// Each piece is a value below: drop a line to ablate it (AST Table VIII).

experiment("ast-cifar10-ipc10") {
    dataset = cifar10Jpeg(zca = true)
    model = convNet(depth = 3, width = 128)

    buffer {
        experts = 100
        epochs = 50
        optimizer = sgd(lr = 0.01, momentum = 0.9, lrDecayFactor = 0.5, lrDecayEpochs = listOf(25L))
        objective = crossEntropy(scale = linearRamp(0.5, 1.0, epochs = 5)) +
            gradientPenalty(mu = 1.0, k = 1.0)
    }

    distill {
        ipc = 10
        iterations = 5000
        synSteps = 30
        expertEpochs = 2
        maxStartEpoch = 20
        lrImg = 100.0
        lrLr = 1e-5
        lrTeacher = 0.01
        imageInit = representative(expert = 0, embedding = "features")
        innerLoss = balancedInnerLoss()
        matchingLoss = intermediateMatching("equal")
        startPerturbation = filterWisePerturbation(rho = 0.1)
        saveEvery = 500
    }

    evaluate {
        runs = 5
        epochs = 1000
    }
}
