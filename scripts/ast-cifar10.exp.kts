// AST (Shen, Yang, Lam 2023) on CIFAR-10, ipc 10, as the authors' code produced its tables
// (docs/methods.md): experts from buffer.py as buffer.sh runs it (preset "ast": SGD lr 0.003,
// momentum 0.9, weight decay 1e-3, lr x0.6 with a new optimizer after epoch 26, no gradient
// penalty, no loss ramp), and distill.py as distill.sh's CIFAR-10 ipc 10 line runs it:
// syn_lr starting at 0.01, inner-loop momentum 0.9 (--mom, always on), balanced loss (log
// base 5, middle T+ // 2), intermediate matching (beta 1, the code's points), the code's
// weight perturbation (W + d / ||d|| * W), real-image initialization, ZCA.
// The paper's rules instead: method = method("ast-paper") (experts "ast-paper", innerLoss =
// balancedInnerLoss(), matchingLoss = intermediateMatching("equal"), startPerturbation =
// filterWisePerturbation(rho = 0.1), imageInit = representative(), no inner momentum).
// A GPU-sized job at these settings.
//
//   ./dd4j run scripts/ast-cifar10.exp.kts
//   ./dd4j run scripts/ast-cifar10.exp.kts --set model.width=32 --set buffer.experts=2 \
//       --set buffer.epochs=8 --set distill.syn_steps=10 --set distill.max_start_epoch=6 \
//       --set distill.iterations=300 --set distill.lr_img=1000 --set evaluate.epochs=300
//                                                   # reduced, for 2 CPU cores
// To ablate a piece (AST Table VIII), set it back explicitly, e.g. innerLoss = plainInnerLoss().

experiment("ast-cifar10-ipc10") {
    dataset = cifar10Jpeg(zca = true)
    model = convNet(depth = 3, width = 128)
    method = method("ast") // the expert preset and the distillation pieces below

    buffer {
        experts = 100
        epochs = 50
    }

    distill {
        ipc = 10
        iterations = 5000
        synSteps = 30
        expertEpochs = 2
        maxStartEpoch = 20
        lrImg = 1000.0
        lrLr = 1e-5
        // from method("ast"): lrTeacher = 0.01, innerMomentum = 0.9,
        // innerLoss = balancedInnerLoss(logBase = "5"),
        // matchingLoss = intermediateMatching("equal", points = "code"),
        // startPerturbation = layerWisePerturbation(coefficient = 1.0); imageInit stays real
        saveEvery = 500
    }

    evaluate {
        runs = 5
        epochs = 1000
    }
}
