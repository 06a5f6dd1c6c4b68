package dev.keel.cli;

import dev.keel.api.audit.AuditEvent;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.IExitCodeGenerator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code keel audit verify|log|export|checkpoint}: the audit trail, read straight from the store,
 * or with {@code KEEL_URL} from a server as an admin or approver. Against a server, {@code verify}
 * reports what the server's replay found; an auditor who does not trust the server runs it on
 * the store itself (KEEL_HOME or KEEL_STORE, with the signing key).
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify, read and export the audit trail.",
        synopsisSubcommandLabel = "(verify | log | export | checkpoint)",
        subcommands = {AuditCommand.VerifyAudit.class, AuditCommand.ShowAuditLog.class, AuditCommand.ExportAudit.class,
                AuditCommand.CheckpointAudit.class})
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Replay the whole chain; exit 0 when intact, 1 naming the first broken event.")
    static final class VerifyAudit extends SessionCommand implements IExitCodeGenerator {
        @Mixin
        private OutputFormat format;
        private boolean intact;

        @Override
        void run(Session session) {
            Verification verification = session.audit().verify(Actor.LOCAL);
            intact = verification instanceof Intact;
            PrintStream out = session.out();
            if (format.json) {
                JsonOutput.print(out, view(verification));
            } else if (verification instanceof Intact chain) {
                out.println("intact: " + chain.events() + " events, " + describe(chain.lastCheckpoint()));
            } else if (verification instanceof Broken broken) {
                out.println("broken at event " + broken.seq() + " ("
                        + broken.breach().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "): " + broken.reason());
            }
        }

        /** 1 when the chain is broken, so a script's check fails without reading what was printed. */
        @Override
        public int getExitCode() {
            return intact ? ExitCode.OK.value() : ExitCode.FAILURE.value();
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
                view.put("breach", broken.breach().name().toLowerCase(Locale.ROOT));
                view.put("reason", broken.reason());
            }
            return view;
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true, description = "Show the newest events, oldest first.")
    static final class ShowAuditLog extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Option(names = "--resource", paramLabel = "R",
                description = "only events about R and what lies under it (run/ID, experiment/ID, model/NAME, model/NAME/version/N)")
        private String resource;
        @Option(names = "--limit", paramLabel = "N", description = "at most N events (default: ${DEFAULT-VALUE})")
        private int limit = 50;

        @Override
        void run(Session session) {
            List<AuditEvent> events = session.audit().latest(Actor.LOCAL, resource, limit);
            if (format.json) {
                JsonOutput.print(session.out(), events.stream().map(AuditCommand::event).toList());
                return;
            }
            Table table = new Table(List.of(Column.number("SEQ"), Column.text("TIME"), Column.text("ACTOR"),
                    Column.text("ACTION"), Column.text("RESOURCE"), Column.text("SUMMARY")));
            for (AuditEvent event : events) {
                table.row(List.of(Long.toString(event.seq()), Cells.time(event.recordedAt()), event.actor(),
                        event.action(), Cells.shorten(event.resource(), 60), Cells.shorten(event.summary(), 80)));
            }
            table.print(session.out());
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Stream the chain from the first event at or after a time, one JSON object per line,"
                    + " hashes included so it can be replayed elsewhere.")
    static final class ExportAudit extends SessionCommand {
        @Option(names = "--since", paramLabel = "TIME",
                description = "an instant (2026-01-31T12:00:00Z), a UTC date (2026-01-31) or epoch milliseconds (default: the beginning)")
        private String since;
        @Option(names = "--format", paramLabel = "FORMAT", description = "jsonl, the only format (default: ${DEFAULT-VALUE})")
        private String exportFormat = "jsonl";

        @Override
        void run(Session session) {
            if (!"jsonl".equals(exportFormat)) {
                throw KeelException.invalid("'--format' must be jsonl (got '" + exportFormat + "')");
            }
            long from = since == null ? 0 : AuditTime.parse("--since", since);
            PrintStream out = session.out();
            session.audit().export(Actor.LOCAL, from, event -> out.println(event.jsonLine()));
            out.flush();
        }
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true,
            description = "Sign the chain's head now (Keel also signs one every 1000 events).")
    static final class CheckpointAudit extends SessionCommand {
        @Mixin
        private OutputFormat format;

        @Override
        void run(Session session) {
            Checkpoint checkpoint = session.audit().checkpoint(Actor.LOCAL);
            if (format.json) {
                JsonOutput.print(session.out(), checkpoint(checkpoint));
            } else {
                session.out().println("signed the head at event " + checkpoint.seq() + " (" + checkpoint.hash() + ")");
            }
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
