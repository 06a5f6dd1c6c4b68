package dev.keel.registry.approval;

/**
 * One automatic check an approval policy asks of a model version before a person decides.
 * Each variant judges a {@link CheckContext} on its own and explains its verdict, so the
 * results read the same in the CLI, the REST API and a decision's record.
 */
public sealed interface Check
        permits RequiredCardSections, MetricThreshold, FairnessBound, SignaturePresent, DigestsVerified {

    /** The check as a policy states it, such as {@code metrics.auc >= 0.8}. */
    String describe();

    /** The verdict on {@code context}, with the numbers it rests on; never throws for a failing version. */
    CheckResult evaluate(CheckContext context);
}
