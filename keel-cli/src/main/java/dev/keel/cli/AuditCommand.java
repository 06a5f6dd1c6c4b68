package dev.keel.cli;

import dev.keel.api.Keel;
import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.AuditService;
import dev.keel.api.audit.AuditTime;
import dev.keel.api.audit.Checkpoint;
import dev.keel.api.audit.Verification;
import dev.keel.api.audit.Verification.Broken;
import dev.keel.api.audit.Verification.Intact;
import dev.keel.cli.output.Cells;
import dev.keel.cli.output.JsonOutput;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * {@code keel audit verify|log|export|checkpoint}: the audit trail, read straight from the store,
 * or with {@code KEEL_URL} from a server as an admin or approver. Against a server, {@code verify}
 * reports what the server's replay found; an auditor who does not trust the server runs it on
 * the store itself (KEEL_HOME or KEEL_STORE, with the signing key).
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify, read and export the audit trail.",
        synopsisSubcommandLabel = "(verify | log | export | checkpoint)")
final class AuditCommand {

    /** The command with its subcommands, for {@link Main}. */
    static CommandLine command(Invocation invocation) {
        return new CommandLine(new AuditCommand())
                .addSubcommand(new VerifyAudit(invocation))
                .addSubcommand(new ShowAuditLog(invocation))
                .addSubcommand(new ExportAudit(invocation))
                .addSubcommand(new CheckpointAudit(invocation));
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Replay the whole chain; exit 0 when intact, 1 naming the first broken event.")
    static final class VerifyAudit implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;

        VerifyAudit(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            Verification verification = withAudit(invocation, AuditService::verify);
            if (format.json) {
                JsonOutput.print(invocation.out(), view(verification));
            } else if (verification instanceof Intact intact) {
                invocation.out().println("intact: " + intact.events() + " events, " + describe(intact.lastCheckpoint()));
            } else if (verification instanceof Broken broken) {
                invocation.out().println("broken at event " + broken.seq() + " ("
                        + broken.breach().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "): " + broken.reason());
            }
            return verification instanceof Intact ? ExitCode.OK.value() : ExitCode.FAILURE.value();
        }

        private static String describe(Checkpoint checkpoint) {
            return checkpoint == null ? "no checkpoint signed yet"
                    : "last checkpoint at event " + checkpoint.seq() + ", signed " + checkpoint.time() + " by key "
                    + checkpoint.keyId().substring(0, 16);
        }

        private static Map<String, Object> view(Verification verification) {
            Map<String, Object> view = new LinkedHashMap<>();
            if (verification instanceof Intact intact) {
                view.put("intact", true);
                view.put("events", intact.events());
                view.put("last_checkpoint", checkpoint(intact.lastCheckpoint()));
            } else if (verification instanceof Broken broken) {
                view.put("intact", false);
                view.put("broken_seq", broken.seq());
                view.put("breach", broken.breach().name().toLowerCase(java.util.Locale.ROOT));
                view.put("reason", broken.reason());
            }
            return view;
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true, description = "Show the newest events, oldest first.")
    static final class ShowAuditLog implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;
        @Option(names = "--resource", paramLabel = "R",
                description = "only events about R and what lies under it (run/ID, experiment/ID, model/NAME, model/NAME/version/N)")
        private String resource;
        @Option(names = "--limit", paramLabel = "N", description = "at most N events (default: ${DEFAULT-VALUE})")
        private int limit = 50;

        ShowAuditLog(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            List<AuditEvent> events = withAudit(invocation, (audit, actor) -> audit.latest(actor, resource, limit));
            if (format.json) {
                JsonOutput.print(invocation.out(), events.stream().map(AuditCommand::event).toList());
            } else {
                Table table = new Table(List.of(Column.number("SEQ"), Column.text("TIME"), Column.text("ACTOR"),
                        Column.text("ACTION"), Column.text("RESOURCE"), Column.text("SUMMARY")));
                for (AuditEvent event : events) {
                    table.row(List.of(Long.toString(event.seq()), Cells.time(event.recordedAt()), event.actor(),
                            event.action(), Cells.shorten(event.resource(), 60), Cells.shorten(event.summary(), 80)));
                }
                table.print(invocation.out());
            }
            return ExitCode.OK.value();
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Stream the chain from the first event at or after a time, one JSON object per line,"
                    + " hashes included so it can be replayed elsewhere.")
    static final class ExportAudit implements Callable<Integer> {
        private final Invocation invocation;
        @Option(names = "--since", paramLabel = "TIME",
                description = "an instant (2026-01-31T12:00:00Z), a UTC date (2026-01-31) or epoch milliseconds (default: the beginning)")
        private String since;
        @Option(names = "--format", paramLabel = "FORMAT", description = "jsonl, the only format (default: ${DEFAULT-VALUE})")
        private String exportFormat = "jsonl";

        ExportAudit(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            if (!"jsonl".equals(exportFormat)) {
                throw KeelException.invalid("'--format' must be jsonl (got '" + exportFormat + "')");
            }
            long from = since == null ? 0 : AuditTime.parse("--since", since);
            PrintStream out = invocation.out();
            withAudit(invocation, (audit, actor) -> audit.export(actor, from, event -> out.println(event.jsonLine())));
            out.flush();
            return ExitCode.OK.value();
        }
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true,
            description = "Sign the chain's head now (Keel also signs one every 1000 events).")
    static final class CheckpointAudit implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;

        CheckpointAudit(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            Checkpoint checkpoint = withAudit(invocation, AuditService::checkpoint);
            if (format.json) {
                JsonOutput.print(invocation.out(), checkpoint(checkpoint));
            } else {
                invocation.out().println("signed the head at event " + checkpoint.seq() + " (" + checkpoint.hash() + ")");
            }
            return ExitCode.OK.value();
        }
    }

    /** The session's audit trail: the local store's, or the server's named by KEEL_URL (as KEEL_TOKEN's user). */
    private static <T> T withAudit(Invocation invocation, BiFunction<AuditService, Actor, T> work) {
        try (Keel session = KeelSession.open(invocation.env())) {
            // the local operator on the store; a server ignores it and acts as the signed-in user
            return work.apply(session.audit(), Actor.LOCAL);
        }
    }

    private static Map<String, Object> event(AuditEvent event) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("seq", event.seq());
        view.put("time", event.time().toString());
        view.put("actor", event.actor());
        view.put("action", event.action());
        view.put("resource", event.resource());
        view.put("summary", parse(event.summary()));
        view.put("prev_hash", event.prevHash());
        view.put("hash", event.hash());
        return view;
    }

    private static Map<String, Object> checkpoint(Checkpoint checkpoint) {
        if (checkpoint == null) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("seq", checkpoint.seq());
        view.put("hash", checkpoint.hash());
        view.put("signed_at", checkpoint.time().toString());
        view.put("key_id", checkpoint.keyId());
        view.put("signature", checkpoint.signature());
        return view;
    }

    private static Object parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            return json; // a summary someone rewrote by hand is still shown, as it is
        }
    }
}
