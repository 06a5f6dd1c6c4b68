package dev.keel.cli;

import dev.keel.api.access.Grant;
import dev.keel.cli.output.JsonOutput;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static dev.keel.cli.AccessCommand.operator;
import static dev.keel.cli.AccessCommand.withAccess;

/**
 * {@code keel permissions grant|revoke|list}: what one user may do with one experiment or
 * registered model, on the store or, with {@code KEEL_URL}, on a server (granting needs MANAGE
 * on the resource there: its creator holds it, admins pass).
 */
@Command(name = "permissions", mixinStandardHelpOptions = true,
        description = "Grant, revoke and list permissions on experiments and registered models.",
        synopsisSubcommandLabel = "(grant | revoke | list)")
final class PermissionsCommand {

    static CommandLine command(Invocation invocation) {
        return new CommandLine(new PermissionsCommand())
                .addSubcommand(new GrantPermission(invocation))
                .addSubcommand(new RevokePermission(invocation))
                .addSubcommand(new ListPermissions(invocation));
    }

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
    static final class GrantPermission implements Callable<Integer> {
        private final Invocation invocation;
        @ArgGroup(exclusive = true, multiplicity = "1")
        private On on;
        @Option(names = "--user", paramLabel = "NAME", required = true, description = "who")
        private String user;
        @Option(names = "--permission", paramLabel = "PERMISSION", required = true,
                description = "READ, USE, EDIT, MANAGE or NO_PERMISSIONS")
        private String permission;

        GrantPermission(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            Permission wanted = Permission.parse("--permission", permission);
            Resource resource = on.resource();
            Grant grant = withAccess(invocation, access -> access.grant(operator(), resource, user, wanted));
            invocation.out().println("granted " + grant.permission() + " on " + grant.resource() + " to " + grant.userName());
            return ExitCode.OK.value();
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Take a user's grant away; they fall back to the default permission.")
    static final class RevokePermission implements Callable<Integer> {
        private final Invocation invocation;
        @ArgGroup(exclusive = true, multiplicity = "1")
        private On on;
        @Option(names = "--user", paramLabel = "NAME", required = true, description = "whose grant")
        private String user;

        RevokePermission(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            Resource resource = on.resource();
            withAccess(invocation, access -> {
                access.revoke(operator(), resource, user);
                return null;
            });
            invocation.out().println("revoked the grant of " + user + " on " + resource);
            return ExitCode.OK.value();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the grants on a resource.")
    static final class ListPermissions implements Callable<Integer> {
        private final Invocation invocation;
        @ArgGroup(exclusive = true, multiplicity = "1")
        private On on;
        @Mixin
        private OutputFormat format;

        ListPermissions(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            Resource resource = on.resource();
            List<Grant> grants = withAccess(invocation, access -> access.grants(operator(), resource));
            if (format.json) {
                JsonOutput.print(invocation.out(), grants.stream().map(grant -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("user", grant.userName());
                    view.put("permission", grant.permission().name());
                    return view;
                }).toList());
                return ExitCode.OK.value();
            }
            if (grants.isEmpty()) {
                invocation.out().println("no grants on " + resource + "; every user holds the default permission");
                return ExitCode.OK.value();
            }
            Table table = new Table(List.of(Column.text("USER"), Column.text("PERMISSION")));
            for (Grant grant : grants) {
                table.row(List.of(grant.userName(), grant.permission().name()));
            }
            table.print(invocation.out());
            return ExitCode.OK.value();
        }
    }
}
