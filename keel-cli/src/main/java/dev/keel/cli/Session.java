package dev.keel.cli;

import dev.keel.api.Keel;
import dev.keel.api.access.AccessService;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.audit.AuditService;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import dev.keel.server.KeelPlatform;

import java.io.PrintStream;

/**
 * One command's session with Keel ({@link KeelSession} chooses the store or a server), opened
 * when first used, so that what was typed is checked before a store is opened or a server is
 * called, and closed when the command ends. Commands act as {@link Actor#LOCAL}, the operator of
 * the local store, unless they ask for {@link #actor()}; a server ignores the actor it is not
 * sent and acts as the user {@code KEEL_TOKEN} signs in as.
 */
final class Session implements AutoCloseable {
    private final Invocation invocation;
    private Keel keel;

    Session(Invocation invocation) {
        this.invocation = invocation;
    }

    Keel keel() {
        if (keel == null) {
            keel = KeelSession.open(invocation.env());
        }
        return keel;
    }

    Invocation invocation() {
        return invocation;
    }

    PrintStream out() {
        return invocation.out();
    }

    PrintStream err() {
        return invocation.err();
    }

    TrackingService tracking() {
        return keel().tracking();
    }

    RegistryService registry() {
        return keel().registry();
    }

    ApprovalService approvals() {
        return keel().approvals();
    }

    AuditService audit() {
        return keel().audit();
    }

    AccessService access() {
        return keel().access();
    }

    EndpointService endpoints() {
        return keel().endpoints();
    }

    /**
     * Who acts on the local store: {@code KEEL_USER} while authentication is off (it is how a
     * second person acts on one machine; refused when authentication is on), else the operator.
     * A server decides itself.
     */
    Actor actor() {
        if (!(keel() instanceof KeelPlatform platform)) {
            return Actor.LOCAL; // not sent: the server decides
        }
        String user = invocation.env().get("KEEL_USER");
        if (user == null || user.isBlank()) {
            return Actor.LOCAL;
        }
        if (platform.authentication().required()) {
            throw KeelException.invalid("KEEL_USER is honoured only while authentication is off; sign in instead");
        }
        return new Actor(user.strip());
    }

    /**
     * As {@link #actor()}, but {@code KEEL_USER} is refused against a server instead of ignored:
     * an approval decided by someone other than the person named would be worse than none.
     */
    Actor namedActor() {
        String user = invocation.env().get("KEEL_USER");
        if (!(keel() instanceof KeelPlatform) && user != null && !user.isBlank()) {
            throw KeelException.invalid("KEEL_USER names who acts on the local store only; a server acts as the user"
                    + " KEEL_TOKEN signs in as: unset KEEL_USER, or set KEEL_TOKEN to that user's token");
        }
        return actor();
    }

    @Override
    public void close() {
        if (keel != null) {
            keel.close();
        }
    }
}
