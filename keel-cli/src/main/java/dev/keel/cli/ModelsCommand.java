package dev.keel.cli;

import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.ModelVersionSearch;
import dev.keel.api.registry.NewModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegisteredModel;
import dev.keel.api.registry.RegisteredModelSearch;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.cli.output.Cells;
import dev.keel.cli.output.JsonOutput;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code keel models list|get|register|card|evaluation}: the registry from the command line. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List, show and register models; print model cards; record evaluation sets.",
        synopsisSubcommandLabel = "(list | get | register | card | evaluation)",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.GetModel.class, ModelsCommand.RegisterModel.class,
                ModelsCommand.Card.class, EvaluationCommand.class})
final class ModelsCommand {
    private static final int MAX_MODELS = 1000;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered models, most recently changed first.")
    static final class ListModels extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Option(names = "--filter", paramLabel = "FILTER", description = "e.g. \"name LIKE 'credit%'\" or \"tags.team = 'risk'\"")
        private String filter;
        @Option(names = "--max", paramLabel = "N", description = "at most N models (default: ${DEFAULT-VALUE})")
        private int max = 100;

        @Override
        void run(Session session) {
            if (max < 1 || max > MAX_MODELS) {
                throw KeelException.invalid("'--max' must be between 1 and " + MAX_MODELS + " (got " + max + ")");
            }
            Page<RegisteredModel> page = session.registry().searchRegisteredModels(Actor.LOCAL,
                    new RegisteredModelSearch(filter, max, List.of("last_updated_timestamp DESC"), null));
            if (format.json) {
                JsonOutput.print(session.out(), page.items().stream().map(ModelsCommand::model).toList());
                return;
            }
            Table table = new Table(List.of(Column.text("NAME"), Column.text("OWNER"), Column.text("RISK"),
                    Column.text("LATEST"), Column.text("ALIASES"), Column.text("UPDATED")));
            for (RegisteredModel model : page.items()) {
                table.row(List.of(model.name(), model.owner(), tier(model.riskTier()), latest(model),
                        String.join(",", model.aliases().stream().map(a -> a.alias() + "=" + a.version()).toList()),
                        Cells.time(model.lastUpdatedTimestamp())));
            }
            table.print(session.out(), "no registered models");
            if (page.nextPageToken() != null) {
                session.err().println("(showing the first " + page.items().size() + " models; raise --max to see more)");
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one registered model and its versions.")
    static final class GetModel extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "NAME", description = "the registered model's name")
        private String name;

        @Override
        void run(Session session) {
            RegistryService registry = session.registry();
            RegisteredModel model = registry.getRegisteredModel(Actor.LOCAL, name);
            List<ModelVersion> versions = versions(registry, name);
            if (format.json) {
                Map<String, Object> view = model(model);
                view.put("versions", versions.stream().map(ModelsCommand::version).toList());
                JsonOutput.print(session.out(), view);
            } else {
                print(session.out(), model, versions);
            }
        }

        private static void print(PrintStream out, RegisteredModel model, List<ModelVersion> versions) {
            Table about = new Table(List.of(Column.text(""), Column.text("")));
            about.row(List.of("model", model.name()));
            about.row(List.of("owner", model.owner()));
            about.row(List.of("risk tier", tier(model.riskTier())));
            about.row(List.of("description", Cells.shorten(model.description(), 100)));
            about.row(List.of("created", Cells.time(model.creationTimestamp())));
            about.row(List.of("updated", Cells.time(model.lastUpdatedTimestamp())));
            model.tags().forEach(tag -> about.row(List.of("tag " + tag.key(), Cells.shorten(tag.value(), 100))));
            about.printRows(out);
            out.println();
            Table table = new Table(List.of(Column.number("VERSION"), Column.text("STAGE"), Column.text("ALIASES"),
                    Column.text("FLAVOR"), Column.text("RUN"), Column.text("CREATED BY"), Column.text("CREATED")));
            for (ModelVersion version : versions) {
                table.row(List.of(Long.toString(version.version()), version.currentStage().wireName(),
                        String.join(",", version.aliases()), version.manifest().flavor().wireName(),
                        version.runId() == null ? "" : version.runId(), version.userId(),
                        Cells.time(version.creationTimestamp())));
            }
            table.print(out, "no versions");
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register a run's model as the next version of NAME (the model is created if new).",
            footer = {"", "Example:", "  keel models register credit-risk --run 0123456789abcdef0123456789abcdef --path model"})
    static final class RegisterModel extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "NAME", description = "the registered model's name")
        private String name;
        @Option(names = "--run", required = true, paramLabel = "RUN_ID", description = "the run that logged the model")
        private String runId;
        @Option(names = "--path", paramLabel = "PATH", description = "the model's directory among the run's artifacts (default: ${DEFAULT-VALUE})")
        private String path = "model";
        @Option(names = "--description", paramLabel = "TEXT", description = "what this version is")
        private String description;
        @Option(names = "--risk-tier", paramLabel = "TIER", description = "low, medium or high, for a model registered now (default: low)")
        private String riskTier;

        @Override
        void run(Session session) {
            Ids.requireRunId("--run", runId);
            RiskTier tier = riskTier == null ? null : RiskTier.parse(riskTier);
            String source = "runs:/" + runId + (path.isBlank() || path.equals("/") ? "" : "/" + path.replaceAll("^/+", ""));
            RegistryService registry = session.registry();
            boolean created = ensureModel(registry, name, tier);
            ModelVersion version = registry.createModelVersion(Actor.LOCAL,
                    new NewModelVersion(name, source, runId, description, List.of(), null));
            if (format.json) {
                JsonOutput.print(session.out(), version(version));
            } else {
                session.out().println((created ? "registered new model '" : "registered model '") + name
                        + "' version " + version.version() + " from " + source + " ("
                        + version.manifest().flavor().wireName() + ", " + version.manifest().files().size() + " files)");
            }
        }
    }

    @Command(name = "card", mixinStandardHelpOptions = true,
            description = "Print a version's model card (a prefilled draft until one is saved), or write it to a file.",
            footer = {"", "Examples:", "  keel models card credit-risk 1",
                    "  keel models card credit-risk 1 --format html --output card.html"})
    static final class Card extends SessionCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the registered model's name")
        private String name;
        @Parameters(index = "1", paramLabel = "VERSION", description = "the version number")
        private long version;
        @Option(names = "--format", paramLabel = "FORMAT", description = "markdown, html or json (default: ${DEFAULT-VALUE})")
        private String format = "markdown";
        @Option(names = "--output", paramLabel = "FILE", description = "write the card to FILE instead of printing it")
        private Path output;

        @Override
        void run(Session session) throws IOException {
            CardFormat form = CardFormat.parse(format);
            ModelCard card = session.registry().getModelCard(Actor.LOCAL, name, version);
            String text = form.render(card);
            if (output == null) {
                session.out().print(text);
                session.out().flush();
            } else {
                Path parent = output.toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    throw KeelException.invalid("'--output' names a file in a directory that does not exist: " + parent);
                }
                Files.writeString(output, text, StandardCharsets.UTF_8);
                session.err().println("wrote the " + (card.draft() ? "draft " : "") + "model card of '" + name
                        + "' version " + version + " to " + output);
            }
        }
    }

    /** Creates the model when it does not exist yet; says whether it did. */
    static boolean ensureModel(RegistryService registry, String name, RiskTier tier) {
        try {
            registry.getRegisteredModel(Actor.LOCAL, name);
            return false;
        } catch (KeelException e) {
            if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw e;
            }
        }
        try {
            registry.createRegisteredModel(Actor.LOCAL, new NewRegisteredModel(name, null, tier, List.of()));
            return true;
        } catch (KeelException e) {
            // someone else registered it in between: fine, the version goes under theirs
            if (e.code() != ErrorCode.RESOURCE_ALREADY_EXISTS) {
                throw e;
            }
            return false;
        }
    }

    /** Every version of the model, oldest first. */
    private static List<ModelVersion> versions(RegistryService registry, String name) {
        List<ModelVersion> versions = new ArrayList<>();
        String token = null;
        do {
            Page<ModelVersion> page = registry.searchModelVersions(Actor.LOCAL, new ModelVersionSearch(
                    "name = '" + name.replace("\\", "\\\\").replace("'", "\\'") + "'", 0, List.of("version_number ASC"), token));
            versions.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        return versions;
    }

    private static String tier(RiskTier tier) {
        return tier.name().toLowerCase(Locale.ROOT);
    }

    private static String latest(RegisteredModel model) {
        return model.latestVersions().stream().mapToLong(ModelVersion::version).max()
                .stream().mapToObj(Long::toString).findFirst().orElse("");
    }

    private static Map<String, Object> model(RegisteredModel model) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", model.name());
        view.put("description", model.description());
        view.put("owner", model.owner());
        view.put("risk_tier", tier(model.riskTier()));
        view.put("creation_timestamp", model.creationTimestamp());
        view.put("last_updated_timestamp", model.lastUpdatedTimestamp());
        view.put("tags", JsonOutput.tags(model.tags()));
        Map<String, Long> aliases = new LinkedHashMap<>();
        model.aliases().forEach(alias -> aliases.put(alias.alias(), alias.version()));
        view.put("aliases", aliases);
        view.put("latest_versions", model.latestVersions().stream().map(v -> Map.of(
                "version", v.version(), "current_stage", v.currentStage().wireName())).toList());
        return view;
    }

    private static Map<String, Object> version(ModelVersion version) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", version.name());
        view.put("version", version.version());
        view.put("current_stage", version.currentStage().wireName());
        view.put("aliases", version.aliases());
        view.put("description", version.description());
        view.put("source", version.source());
        view.put("run_id", version.runId());
        view.put("user_id", version.userId());
        view.put("creation_timestamp", version.creationTimestamp());
        view.put("tags", JsonOutput.tags(version.tags()));
        view.put("flavor", version.manifest().flavor().wireName());
        view.put("model_file", version.manifest().modelFile());
        view.put("files", version.manifest().files().stream().map(file -> Map.of(
                "path", file.path(), "sha256", file.sha256(), "size", file.size())).toList());
        return view;
    }
}
