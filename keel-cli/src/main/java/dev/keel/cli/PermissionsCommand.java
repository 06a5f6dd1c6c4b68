package dev.keel.cli;

import dev.keel.api.access.Grant;
import dev.keel.cli.output.JsonOutput;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;
import dev.keel.core.Actor;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code keel permissions grant|revoke|list}: what one user may do with one experiment or
 * registered model, on the store or, with {@code KEEL_URL}, on a server (granting needs MANAGE
 * on the resource there: its creator holds it, admins pass).
 */
@Command(name = "permissions", mixinStandardHelpOptions = true,
        description = "Grant, revoke and list permissions on experiments and registered models.",
        synopsisSubcommandLabel = "(grant | revoke | list)",
        subcommands = {PermissionsCommand.GrantPermission.class, PermissionsCommand.RevokePermission.class,
                PermissionsCommand.ListPermissions.class})
final class PermissionsCommand {

    /** Which resource: exactly one of an experiment (by id) or a registered model (by name). */
    static final class On {
        @Option(names = "--experiment", paramLabel = "ID", description = "an experiment, by id")
        String experiment;
        @Option(names = "--model", paramLabel = "NAME", description = "a registered model, by name")
        String model;

        Resource resource() {
            return experiment != null ? Resource.experiment(experiment) : Resource.model(model);
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = "Give a user a permission on an experiment or registered model (replacing their grant there).")
    static final class GrantPermission extends SessionCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        private On on;
        @Option(names = "--user", paramLabel = "NAME", required = true, description = "who")
        private String user;
        @Option(names = "--permission", paramLabel = "PERMISSION", required = true,
                description = "READ, USE, EDIT, MANAGE or NO_PERMISSIONS")
        private String permission;

        @Override
        void run(Session session) {
            Permission wanted = Permission.parse("--permission", permission);
            Resource resource = on.resource();
            Grant grant = session.access().grant(Actor.LOCAL, resource, user, wanted);
            session.out().println("granted " + grant.permission() + " on " + grant.resource() + " to " + grant.userName());
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Take a user's grant away; they fall back to the default permission.")
    static final class RevokePermission extends SessionCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        private On on;
        @Option(names = "--user", paramLabel = "NAME", required = true, description = "whose grant")
        private String user;

        @Override
        void run(Session session) {
            Resource resource = on.resource();
            session.access().revoke(Actor.LOCAL, resource, user);
            session.out().println("revoked the grant of " + user + " on " + resource);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the grants on a resource.")
    static final class ListPermissions extends SessionCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        private On on;
        @Mixin
        private OutputFormat format;

        @Override
        void run(Session session) {
            Resource resource = on.resource();
            List<Grant> grants = session.access().grants(Actor.LOCAL, resource);
            if (format.json) {
                JsonOutput.print(session.out(), grants.stream().map(grant -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("user", grant.userName());
                    view.put("permission", grant.permission().name());
                    return view;
                }).toList());
                return;
            }
            Table table = new Table(List.of(Column.text("USER"), Column.text("PERMISSION")));
            for (Grant grant : grants) {
                table.row(List.of(grant.userName(), grant.permission().name()));
            }
            table.print(session.out(), "no grants on " + resource + "; every user holds the default permission");
        }
    }
}
