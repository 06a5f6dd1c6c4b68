package dev.keel.cli.demo;

/** A model's standing after one epoch: loss and accuracy on the training and held-out applicants. */
public record EpochScores(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy) {
}
