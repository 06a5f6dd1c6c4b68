package dev.keel.cli.demo;

import dev.keel.api.Keel;
import dev.keel.api.Tag;
import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.EvaluationSetSummary;
import dev.keel.api.audit.Verification;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.NewModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.card.CardSection;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.serving.Rollout;
import dev.keel.api.tracking.DatasetInput;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.LifecycleStage;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.RunStatus;
import dev.keel.api.tracking.TrackingService;
import dev.keel.cli.ExitCode;
import dev.keel.cli.Invocation;
import dev.keel.cli.KeelSession;
import dev.keel.cli.demo.ProductionApproval.Promotion;
import dev.keel.cli.output.Cells;
import dev.keel.cli.output.JsonOutput;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.server.KeelPlatform;
import dev.keel.server.PlatformOptions;
import org.tribuo.Model;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code keel demo}: trains several real logistic-regression models on a generated credit-risk
 * data set and tracks each as a run: params, per-epoch loss and accuracy, evaluation metrics,
 * the model files, the data sets it used. The best run's model is then registered as the next
 * version of {@value #MODEL_NAME} with a model card: the registry's prefilled draft, completed
 * with intended use, factors, AUC per slice of the held-out applicants, ethics and caveats; and
 * with its evaluation set: its decisions on the held-out applicants by home ownership and age
 * band. Production is then requested under the demo's approval policy ({@link DemoPolicy}),
 * whose checks include the AUC and a fairness bound computed on that set, and two approvers
 * decide ({@link ProductionApproval}). Once approved, the version is deployed behind the
 * endpoint {@value #MODEL_NAME} and served to live HTTP traffic, and a second, broken version is
 * started as a canary and rolled back by its guardrails ({@link CanaryDrill}). The audit trail
 * is verified last.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train a few credit-risk models with Tribuo and track them in the experiment 'credit-risk-demo';"
                + " register, document and approve the best; deploy it behind the endpoint 'credit-risk' under live"
                + " traffic, and watch a broken canary of a second version roll back on its own."})
public final class DemoCommand implements Callable<Integer> {
    public static final String EXPERIMENT = "credit-risk-demo";
    public static final String MODEL_NAME = "credit-risk";
    private static final double TEST_FRACTION = 0.2;
    private static final Actor ACTOR = Actor.LOCAL;

    private final Invocation invocation;
    private final Clock clock;

    @Option(names = "--rows", paramLabel = "N", description = "applicants to generate (default: ${DEFAULT-VALUE})")
    private int rows = 5000;

    @Option(names = "--models", paramLabel = "N", description = "how many of the six candidate models to train (default: all)")
    private Integer models;

    @Option(names = "--seed", paramLabel = "SEED", description = "seed of the data and of training (default: ${DEFAULT-VALUE})")
    private long seed = 42;

    @Option(names = "--json", description = "print the experiment, its new runs, the registered version, the approval"
            + " and the serving drill as one JSON document")
    private boolean json;

    public DemoCommand(Invocation invocation) {
        this(invocation, Clock.systemUTC());
    }

    public DemoCommand(Invocation invocation, Clock clock) {
        this.invocation = invocation;
        this.clock = clock;
    }

    /** One trained candidate and the run it was tracked in. */
    private record Outcome(String runId, Candidate candidate, Evaluation evaluation, String protocol, Model<Label> model) {
    }

    /** The best model as registered, what its card still lacks, and its recorded evaluation set. */
    private record Registration(String name, long version, List<CardSection> missingSections,
                                EvaluationSetSummary evaluation) {
    }

    @Override
    public Integer call() {
        List<Candidate> candidates = candidates();
        if (rows < 100 || rows > 1_000_000) {
            throw KeelException.invalid("'--rows' must be between 100 and 1000000 (got " + rows + ")");
        }
        long started = clock.millis();
        CreditRiskData data = CreditRiskData.generate(rows, TEST_FRACTION, seed);
        // the local store under the demo's own approval policy, or the server KEEL_URL names (under its own)
        try (Keel session = KeelSession.open(invocation.env(), PlatformOptions.defaults().withPolicy(DemoPolicy.load()));
             DemoServer server = DemoServer.of(session)) {
            TrackingService tracking = session.tracking();
            Experiment experiment = experiment(tracking);
            invocation.err().printf(Locale.ROOT, "training %d logistic regression models on %,d applicants (%,d held out, %.0f%% defaulted)%n",
                    candidates.size(), data.train().size(), data.test().size(), 100 * data.defaultRate());
            invocation.err().println("tracking in experiment " + experiment.experimentId() + " '" + experiment.name()
                    + "' at " + session.location());

            Progress progress = Progress.on(invocation.err(), invocation.interactive());
            LogisticRegressionTraining training = new LogisticRegressionTraining(data, seed);
            List<Outcome> outcomes = new ArrayList<>();
            RunLog keelApi = new ServiceRunLog(tracking, ACTOR);
            for (int i = 0; i < candidates.size(); i++) {
                Candidate candidate = candidates.get(i);
                // the last model is logged as an MLflow client would: same store, other protocol
                RunLog log = i == candidates.size() - 1 && candidates.size() > 1 ? server.mlflowRunLog() : keelApi;
                progress.modelStarted(i + 1, candidates.size(), candidate);
                if (log != keelApi) {
                    invocation.err().println("  (this one through the " + log.protocol() + " at " + server.url() + ")");
                }
                outcomes.add(track(log, experiment, training, data, candidate, progress));
            }
            invocation.err().printf(Locale.ROOT, "done in %.1fs%n", (clock.millis() - started) / 1000.0);

            // every run read the same two data sets; recorded now, each run's lineage names them
            List<DatasetInput> inputs = DemoDatasets.of(data, seed);
            for (Outcome outcome : outcomes) {
                tracking.logInputs(ACTOR, outcome.runId(), inputs);
            }
            Outcome best = outcomes.stream().max(Comparator.comparingDouble(outcome -> outcome.evaluation().auc())).orElseThrow();
            Registration registered = register(session.registry(), data, best);
            Promotion promotion = ProductionApproval.walk(session, ACTOR, registered.name(), registered.version(),
                    invocation.err());
            ApprovalRequest approval = promotion == null ? null : promotion.request();
            CanaryDrill.Outcome serving = serve(session, server, experiment, registered, promotion, data, progress);
            // the demo ends as an auditor would: replaying the chain that recorded all of the above
            Verification audit = session instanceof KeelPlatform platform ? platform.auditTrail().verify() : null;
            if (json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("experiment", JsonOutput.experiment(experiment));
                document.put("best_run_id", best.runId());
                document.put("registered_model", Map.of("name", registered.name(), "version", registered.version()));
                document.put("evaluation_set", Map.of("rows", registered.evaluation().rows(),
                        "attributes", registered.evaluation().attributes(), "sha256", registered.evaluation().sha256()));
                if (approval != null) {
                    document.put("approval", Map.of("id", approval.id(), "status",
                            approval.status().name().toLowerCase(Locale.ROOT), "approvers", approval.approvers(),
                            "checks", approval.checks().stream().map(check -> Map.of("check", check.check(),
                                    "passed", check.passed(), "detail", check.detail())).toList(),
                            "archived_versions", promotion.archived()));
                }
                if (serving != null) {
                    document.put("serving", servingDocument(serving));
                }
                if (audit != null) {
                    document.put("audit", audit instanceof Verification.Intact intact
                            ? Map.of("intact", true, "events", intact.events())
                            : Map.of("intact", false, "broken_at", ((Verification.Broken) audit).seq()));
                }
                document.put("runs", outcomes.stream().map(outcome -> JsonOutput.run(tracking.getRun(ACTOR, outcome.runId()))).toList());
                JsonOutput.print(invocation.out(), document);
            } else {
                summary(experiment, outcomes, best, registered, promotion, serving, audit);
            }
        }
        return ExitCode.OK.value();
    }

    private List<Candidate> candidates() {
        List<Candidate> grid = Candidate.grid();
        int count = models == null ? grid.size() : models;
        if (count < 1 || count > grid.size()) {
            throw KeelException.invalid("'--models' must be between 1 and " + grid.size() + " (got " + count + ")");
        }
        return grid.subList(0, count);
    }

    /** The demo's experiment: found by name, restored from the bin, or created. */
    private static Experiment experiment(TrackingService tracking) {
        try {
            Experiment found = tracking.getExperimentByName(ACTOR, EXPERIMENT);
            if (found.lifecycleStage() == LifecycleStage.DELETED) {
                tracking.restoreExperiment(ACTOR, found.experimentId());
                return tracking.getExperiment(ACTOR, found.experimentId());
            }
            return found;
        } catch (KeelException e) {
            if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw e;
            }
            return tracking.createExperiment(ACTOR, new NewExperiment(EXPERIMENT, null, List.of(
                    new Tag("keel.demo", "credit-risk"),
                    new Tag("mlflow.note.content", "Logistic regression on a synthetic credit-risk data set, made by 'keel demo'."))));
        }
    }

    /** Trains one candidate inside its own run; a failure marks the run FAILED and stops the demo. */
    private Outcome track(RunLog log, Experiment experiment, LogisticRegressionTraining training,
                          CreditRiskData data, Candidate candidate, Progress progress) {
        long start = clock.millis();
        String runId = log.start(experiment.experimentId(), candidate.runName(), start, List.of(
                new Tag("keel.demo", "credit-risk"),
                new Tag("keel.demo.protocol", log.protocol()),
                new Tag("model_type", "logistic_regression"),
                new Tag("framework", "tribuo " + Tribuo.VERSION),
                new Tag("mlflow.source.name", "keel demo")));
        try {
            log.log(runId, new LogBatch(List.of(), List.of(
                    new Param("trainer", LogisticRegressionTraining.TRAINER),
                    new Param("optimiser", candidate.optimiser().label()),
                    new Param("learning_rate", candidate.learningRateText()),
                    new Param("epochs", Integer.toString(candidate.epochs())),
                    new Param("minibatch_size", "1"),
                    new Param("seed", Long.toString(seed)),
                    new Param("train_rows", Integer.toString(data.train().size())),
                    new Param("test_rows", Integer.toString(data.test().size())),
                    new Param("features", String.join(",", Applicant.FEATURE_NAMES))), List.of()));

            LogisticRegressionTraining.Result result = training.train(candidate, scores -> {
                long now = clock.millis();
                log.log(runId, LogBatch.ofMetrics(List.of(
                        new Metric("train_loss", scores.trainLoss(), now, scores.epoch()),
                        new Metric("train_accuracy", scores.trainAccuracy(), now, scores.epoch()),
                        new Metric("test_loss", scores.testLoss(), now, scores.epoch()),
                        new Metric("accuracy", scores.testAccuracy(), now, scores.epoch()))));
                progress.epochDone(scores, Duration.ofMillis(now - start));
            });

            long now = clock.millis();
            List<Metric> evaluation = result.evaluation().finalMetrics().entrySet().stream()
                    .map(entry -> new Metric(entry.getKey(), entry.getValue(), now, candidate.epochs()))
                    .toList();
            log.log(runId, LogBatch.ofMetrics(evaluation));
            for (Map.Entry<ArtifactPath, byte[]> file : ModelFiles.of(result.model(), result.evaluation(), runId, clock.instant()).entrySet()) {
                log.upload(runId, file.getKey(), file.getValue());
            }
            log.end(runId, RunStatus.FINISHED, clock.millis());
            progress.modelFinished(result.evaluation(), Duration.ofMillis(clock.millis() - start));
            return new Outcome(runId, candidate, result.evaluation(), log.protocol(), result.model());
        } catch (RuntimeException e) {
            log.end(runId, RunStatus.FAILED, clock.millis());
            throw e;
        }
    }

    /** Registers the best run's model as the next version of {@value #MODEL_NAME} and saves its model card. */
    private Registration register(RegistryService registry, CreditRiskData data, Outcome best) {
        invocation.err().println("registering the best model (" + best.candidate().runName() + ") as '" + MODEL_NAME
                + "', writing its model card and recording its evaluation set (" + data.test().size()
                + " held-out applicants by home ownership and age band)");
        try {
            registry.getRegisteredModel(ACTOR, MODEL_NAME);
        } catch (KeelException e) {
            if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw e;
            }
            registry.createRegisteredModel(ACTOR, new NewRegisteredModel(MODEL_NAME,
                    "Estimates the probability that a loan applicant defaults; made by 'keel demo'.", RiskTier.HIGH,
                    List.of(new Tag("keel.demo", "credit-risk"))));
        }
        ModelVersion version = registry.createModelVersion(ACTOR, new NewModelVersion(MODEL_NAME,
                "runs:/" + best.runId() + "/" + ModelFiles.DIRECTORY.value(), best.runId(),
                "Best of a 'keel demo' by test AUC (" + Cells.number(best.evaluation().auc()) + ")",
                List.of(new Tag("keel.demo", "credit-risk")), null));
        ModelCard draft = registry.getModelCard(ACTOR, MODEL_NAME, version.version());
        ModelCard saved = registry.updateModelCard(ACTOR, MODEL_NAME, version.version(),
                CreditRiskCard.complete(draft, best.model(), data));
        EvaluationSetSummary evaluation = registry.setEvaluationSet(ACTOR, MODEL_NAME, version.version(),
                HeldOutEvaluation.of(best.model(), data.test()));
        return new Registration(MODEL_NAME, version.version(), saved.missingSections(), evaluation);
    }

    /**
     * Deploys the version just put in Production and runs the canary drill on it under live
     * traffic ({@link CanaryDrill}). Embedded only, like the approvals it follows: the drill
     * reads the demo's own router, and a shared server's endpoints are not the demo's to reset.
     */
    private CanaryDrill.Outcome serve(Keel session, DemoServer server, Experiment experiment,
                                      Registration registered, Promotion promotion, CreditRiskData data,
                                      Progress progress) {
        if (!(session instanceof KeelPlatform embedded)) {
            invocation.err().println("(the serving drill runs on the demo's own platform; skipped with KEEL_URL)");
            return null;
        }
        if (promotion == null || promotion.request().status() != ApprovalStatus.APPLIED) {
            invocation.err().println("nothing new in Production, so nothing to deploy");
            return null;
        }
        return new CanaryDrill(embedded, ACTOR, progress, clock)
                .run(server.url(), experiment.experimentId(), registered.version(), data.test());
    }

    private static Map<String, Object> servingDocument(CanaryDrill.Outcome serving) {
        Rollout rollout = serving.rollout();
        Map<String, Object> canary = new LinkedHashMap<>();
        canary.put("variant", rollout.canary());
        canary.put("model", rollout.canaryModel());
        canary.put("version", serving.canaryVersion());
        canary.put("run_id", serving.canaryRunId());
        canary.put("rollout_id", rollout.id());
        canary.put("status", rollout.status().name().toLowerCase(Locale.ROOT));
        canary.put("reason", rollout.reason());
        if (rollout.rollback() != null) {
            canary.put("canary_weight_at_rollback", rollout.rollback().canaryWeight());
            canary.put("breach_to_rollback_ms", rollout.rollback().breachToRollback().toMillis());
            canary.put("detection_to_rollback_ms", rollout.rollback().detectionToRollback().toMillis());
        }
        canary.put("requests_during_canary", serving.duringCanary().requests());
        canary.put("failed_during_canary", serving.duringCanary().answeredFailures());
        canary.put("requests_after_rollback", serving.afterRollback().requests());
        canary.put("failed_after_rollback", serving.afterRollback().answeredFailures());
        canary.put("unanswered", serving.total().unanswered());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("endpoint", serving.endpoint().name());
        document.put("url", serving.url().toString());
        document.put("stable", Map.of("variant", rollout.stable(), "version", serving.stableVersion()));
        InferenceTraffic.Tally total = serving.total();
        Map<String, Object> traffic = new LinkedHashMap<>();
        traffic.put("clients", CanaryDrill.CLIENTS);
        traffic.put("requests", total.requests());
        traffic.put("failed", total.failures());
        traffic.put("rejected", total.rejected());
        traffic.put("requests_per_second", Math.round(total.requestsPerSecond()));
        traffic.put("p99_ms", total.p99() == null ? null : total.p99().toNanos() / 1e6);
        traffic.put("by_variant", total.byVariant());
        document.put("traffic", traffic);
        document.put("canary", canary);
        return document;
    }

    private void summary(Experiment experiment, List<Outcome> outcomes, Outcome best, Registration registered,
                         Promotion promotion, CanaryDrill.Outcome serving, Verification audit) {
        ApprovalRequest approval = promotion == null ? null : promotion.request();
        var out = invocation.out();
        out.println();
        out.println("experiment " + experiment.experimentId() + " '" + experiment.name() + "': " + outcomes.size() + " new runs");
        Table table = new Table(List.of(Column.text("RUN ID"), Column.text("NAME"), Column.number("auc"),
                Column.number("accuracy"), Column.number("precision"), Column.number("recall"), Column.number("f1"),
                Column.text("LOGGED THROUGH"), Column.text("")));
        for (Outcome outcome : outcomes) {
            Evaluation evaluation = outcome.evaluation();
            table.row(List.of(outcome.runId(), outcome.candidate().runName(), Cells.number(evaluation.auc()),
                    Cells.number(evaluation.accuracy()), Cells.number(evaluation.precision()),
                    Cells.number(evaluation.recall()), Cells.number(evaluation.f1()), outcome.protocol(),
                    outcome == best ? "<- best auc" : ""));
        }
        table.print(out);
        out.println();
        out.println("best by auc: " + best.candidate().runName() + " (auc " + Cells.number(best.evaluation().auc()) + ")");
        out.println("registered as model '" + registered.name() + "' version " + registered.version()
                + ", with its model card (" + (registered.missingSections().isEmpty() ? "every section written"
                : "still to write: " + registered.missingSections()) + ") and its evaluation set ("
                + registered.evaluation().rows() + " rows)");
        if (approval != null) {
            out.println("approval request " + approval.id() + " for Production: "
                    + approval.status().name().toLowerCase(Locale.ROOT) + (approval.approvers().isEmpty() ? ""
                    : ", approved by " + String.join(" and ", approval.approvers()))
                    + (promotion.archived().isEmpty() ? "" : "; version " + promotion.archived().stream()
                    .map(String::valueOf).collect(Collectors.joining(", ")) + " (in Production before) archived"));
        }
        if (serving != null) {
            InferenceTraffic.Tally total = serving.total();
            out.println("endpoint '" + serving.endpoint().name() + "' served version " + serving.stableVersion()
                    + " (Production) to " + CanaryDrill.CLIENTS + " clients over HTTP: "
                    + String.format(Locale.ROOT, "%,d requests, %,.0f/s, p99 %s", total.requests(),
                    total.requestsPerSecond(), Progress.millis(total.p99())));
            out.println(serving.headline());
            InferenceTraffic.Tally during = serving.duringCanary();
            InferenceTraffic.Tally after = serving.afterRollback();
            out.println(String.format(Locale.ROOT, "  clients: %,d of %,d requests failed while the canary ran (%.0f%%),"
                    + " %,d of %,d sent after the rollback", during.answeredFailures(), during.requests(),
                    during.requests() == 0 ? 0.0 : 100.0 * during.answeredFailures() / during.requests(),
                    after.answeredFailures(), after.requests()));
            if (serving.total().unanswered() > 0) {
                // the network's doing, not routing's: shown apart, never folded into what the server answered
                out.println(String.format(Locale.ROOT, "  %,d request(s) got no answer at all (%,d after the rollback): %s",
                        serving.total().unanswered(), after.unanswered(), CanaryDrill.elide(serving.dropped(), 160)));
            }
            if (serving.clientSaw() != null) {
                out.println("  a client of the canary was told: " + CanaryDrill.elide(serving.clientSaw(), 220));
            }
        }
        if (audit instanceof Verification.Intact intact) {
            out.println("audit trail: intact, " + intact.events() + " events replayed (what './keel audit verify' does)");
        } else if (audit instanceof Verification.Broken broken) {
            out.println("audit trail: BROKEN at event " + broken.seq() + " (" + broken.reason() + ")");
        }
        out.println();
        out.println("next:");
        out.println("  ./keel runs search --filter \"metrics.auc > 0.5\" --json");
        out.println("  ./keel runs get " + best.runId());
        out.println("  ./keel models get " + registered.name());
        out.println("  ./keel models card " + registered.name() + " " + registered.version() + " --format html --output card.html");
        out.println("  ./keel models evaluation show " + registered.name() + " " + registered.version());
        if (approval != null) {
            out.println("  ./keel approvals show " + approval.id());
        }
        if (serving != null) {
            out.println("  ./keel endpoints rollout " + serving.endpoint().name());
        }
        if (approval != null) {
            out.println("  ./keel audit verify");
        }
    }
}
