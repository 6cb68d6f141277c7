// Issue 15's equal-budget comparison on Fashion-MNIST (docs/results.md, "MTT vs FTD vs AST at
// equal budgets"): one file for every row, so the rows share the model, seeds, buffer size
// (3 experts x 6 epochs on the first 12,000 training images), distillation budget and
// evaluation by construction; the row's method comes from --set, with what it needs beyond
// its preset (docs/runs/compare.sh runs all three):
//
//   ./dd4j run scripts/compare/fmnist.exp.kts --threads 1 --set method=mtt
//   ./dd4j run scripts/compare/fmnist.exp.kts --threads 1 --set method=ftd \
//       --set distill.ema_decay=0.98          # ftd's 0.9995 at 5,000 iterations, scaled to 120
//   ./dd4j run scripts/compare/fmnist.exp.kts --threads 1 --set method=ast \
//       --set "buffer.preset=ast(lr_decay_epochs=5)"  # the code's epoch T // 2 + 2 at T = 6
//
// This is the larger budget; the smaller one adds --set distill.iterations=40
// --set distill.max_experts=1 (and ema_decay 0.94 for FTD, the same fraction of the run).
// Reduced from the papers for 2 CPU cores.

experiment("compare-fmnist") {
    dataset = fashionMnist()
    model = convNet(depth = 3, width = 32)
    method = method("mtt") // the row's, by --set method=...

    buffer {
        experts = 3
        epochs = 6
        trainImages = 12000
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
