// Issue 15's equal-budget comparison, row "mtt on CIFAR-10 (JPEG, ZCA)" (docs/results.md, "MTT vs FTD vs AST at
// equal budgets"). Every CIFAR-10 row shares the model, seeds, buffer size (2 experts x 5
// epochs on all 50,000 training images), distillation budget and evaluation; only the method
// differs.
// This file is the larger budget; the smaller one is the same run with
//   --set distill.iterations=40 --set distill.max_experts=1 --set distill.ema_decay=0.94
// (ema_decay only matters for FTD; its 0.9995 is scaled to the shorter runs so the EMA
// averages over the same fraction of them). Reduced from the papers for 2 CPU cores.
//
//   ./dd4j run scripts/compare/cifar10-mtt.exp.kts --threads 1

experiment("compare-cifar10-mtt") {
    dataset = cifar10Jpeg(zca = true)
    model = convNet(depth = 3, width = 32)
    method = method("mtt")

    buffer {
        experts = 2
        epochs = 5

    }

    distill {
        ipc = 10
        iterations = 120
        synSteps = 10
        expertEpochs = 2
        maxStartEpoch = 4
        lrImg = 1000.0
        lrLr = 1e-5
        saveEvery = 40
    }

    evaluate {
        runs = 5
        epochs = 300
    }
}
