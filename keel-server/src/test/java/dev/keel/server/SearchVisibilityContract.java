package dev.keel.server;

import dev.keel.api.registry.ModelVersionSearch;
import dev.keel.api.registry.NewModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegisteredModelSearch;
import dev.keel.api.tracking.ExperimentSearch;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.ViewType;
import dev.keel.client.KeelClient;
import dev.keel.core.Actor;
import dev.keel.core.Page;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.governance.access.AccessControl;
import dev.keel.server.contract.Backend;
import dev.keel.server.contract.Deployment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Searches leave out what the caller may not read inside their query, so pages stay full and
 * paging neither leaks nor skips: 25 experiments and 25 models, of which a "reader" may read 10,
 * paged three at a time through the native REST API, the MLflow routes and the SDK, on a Keel
 * where users read nothing by default (grants let them) and on one where they read everything
 * by default (grants take it away).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = Backend.class, names = {"HTTP_SQLITE", "HTTP_POSTGRESQL"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchVisibilityContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RESOURCES = 25;
    /** The indexes the reader may read, spread so that pages of three start and end between them. */
    private static final Set<Integer> READABLE = Set.of(1, 2, 5, 7, 8, 12, 16, 17, 21, 24);
    private static final int PAGE = 3;
    private static final Actor OWNER = new Actor("owner");
    private static final Actor READER = new Actor("reader");

    /** The backend of this run (injected): the server over SQLite or PostgreSQL. */
    @Parameter
    Backend backend;
    private final Map<Permission, Keel> keels = new EnumMap<>(Permission.class);

    /** A Keel with authentication on, behind a server, and what the reader may read on it. */
    record Keel(Deployment deployment, Set<String> readableExperiments, Set<String> readableModels) {
        boolean reads(String what, String id) {
            return what.equals("experiment") ? readableExperiments.contains(id) : readableModels.contains(id);
        }

        URI uri() {
            return deployment.server().uri();
        }

        String adminToken() {
            return deployment.token("admin");
        }

        String readerToken() {
            return deployment.token("reader");
        }
    }

    @AfterParameterizedClassInvocation
    void stop() {
        for (Keel keel : keels.values()) {
            keel.deployment().close();
        }
        keels.clear();
    }

    /** The Keel whose users hold {@code byDefault} where nothing was granted, made on first use. */
    private Keel keel(Permission byDefault) {
        return keels.computeIfAbsent(byDefault, this::start);
    }

    private Keel start(Permission byDefault) {
        Deployment deployment = Deployment.open(backend, Deployment.Setup.signedIn(Map.of("owner", Role.MEMBER,
                "reader", Role.MEMBER)).withAuthentication(Authentication.on().withDefaultPermission(byDefault)));
        KeelPlatform platform = deployment.platform();
        AccessControl access = platform.access();
        boolean readsByDefault = byDefault.allows(Permission.READ);
        Set<String> experiments = new HashSet<>();
        Set<String> models = new HashSet<>();
        if (readsByDefault) {
            experiments.add("0"); // the Default experiment, on which nobody was granted anything
        }
        String runId = ModelsInRuns.runWithModel(platform.tracking(), OWNER);
        String source = platform.tracking().getRun(OWNER, runId).info().experimentId();
        if (readsByDefault) {
            experiments.add(source);
        }
        Permission[] grades = {Permission.READ, Permission.USE, Permission.EDIT, Permission.MANAGE};
        for (int i = 0; i < RESOURCES; i++) {
            String experimentId = platform.tracking().createExperiment(OWNER, NewExperiment.named(String.format("vis-%02d", i)))
                    .experimentId();
            String model = String.format("vis-model-%02d", i);
            platform.registry().createRegisteredModel(OWNER, NewRegisteredModel.named(model));
            // every fourth model has two versions, so versions and models page differently
            for (int v = 0; v < (i % 4 == 0 ? 2 : 1); v++) {
                platform.registry().createModelVersion(OWNER, NewModelVersion.of(model, "runs:/" + runId + "/model", runId));
            }
            boolean readable = READABLE.contains(i);
            if (readable) {
                experiments.add(experimentId);
                models.add(model);
            }
            // with nothing by default, grants of READ or more open; with READ by default, NO_PERMISSIONS closes
            Permission grant = readable ? grades[i % grades.length] : Permission.NO_PERMISSIONS;
            if (!readsByDefault || !readable || i % 2 == 0) {
                access.grant(OWNER, Resource.experiment(experimentId), "reader", grant);
                access.grant(OWNER, Resource.model(model), "reader", grant);
            }
        }
        return new Keel(deployment, Set.copyOf(experiments), Set.copyOf(models));
    }

    /** One way to ask for one page of a search: which resource, over which transport. */
    interface Search {
        /** The ids on one page (experiment ids, model names, name/version) and the next page's token. */
        Page<String> page(Keel keel, String token, String filter, int maxResults, String pageToken);
    }

    /** One way to search: which resource, over which transport. */
    record Way(String what, String transport, Search search) {
    }

    private static final List<Way> WAYS = List.of(
            new Way("experiment", "REST", SearchVisibilityContract::restExperiments),
            new Way("experiment", "MLflow", SearchVisibilityContract::mlflowExperiments),
            new Way("experiment", "SDK", SearchVisibilityContract::sdkExperiments),
            new Way("model", "REST", SearchVisibilityContract::restModels),
            new Way("model", "MLflow", SearchVisibilityContract::mlflowModels),
            new Way("model", "SDK", SearchVisibilityContract::sdkModels),
            new Way("version", "REST", SearchVisibilityContract::restVersions),
            new Way("version", "MLflow", SearchVisibilityContract::mlflowVersions),
            new Way("version", "SDK", SearchVisibilityContract::sdkVersions));

    /** Every way to search, with nothing and with READ by default. */
    static Stream<Arguments> searches() {
        return Stream.of(Permission.NO_PERMISSIONS, Permission.READ).flatMap(byDefault -> WAYS.stream()
                .map(way -> Arguments.of(byDefault, way.what(), way.transport(), way.search(), "name LIKE 'vis-%'")));
    }

    @ParameterizedTest(name = "{0} by default: {1} search over {2}")
    @MethodSource("searches")
    void pages_hold_only_what_the_caller_may_read_and_stay_full(Permission byDefault, String what, String transport,
                                                                 Search search, String filter) {
        Keel keel = keel(byDefault);
        Predicate<String> readable = id -> keel.reads(what.equals("experiment") ? "experiment" : "model", modelOf(id));
        List<String> everything = search.page(keel, keel.adminToken(), filter, 1000, null).items();
        // an admin sees every resource: the 25 experiments or models, and 25 + 7 versions
        assertThat(everything).hasSize(what.equals("version") ? RESOURCES + (RESOURCES + 3) / 4 : RESOURCES);
        List<String> expected = everything.stream().filter(readable).toList();
        assertThat(expected).hasSizeGreaterThanOrEqualTo(READABLE.size());

        List<String> seen = pageThrough(search, keel, filter);
        assertThat(seen).as("no gaps, no repeats, nothing unreadable, in the search's order").isEqualTo(expected);
        if (!what.equals("version")) {
            assertThat(seen).hasSize(READABLE.size());
        }

        // without a filter too: everything the admin sees that the reader may read, and nothing else
        List<String> all = search.page(keel, keel.adminToken(), null, 1000, null).items();
        assertThat(pageThrough(search, keel, null)).isEqualTo(all.stream().filter(readable).toList());
    }

    /** Every page of the reader's search, {@value #PAGE} at a time; each but the last is full. */
    private static List<String> pageThrough(Search search, Keel keel, String filter) {
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String token = null;
        do {
            Page<String> page = search.page(keel, keel.readerToken(), filter, PAGE, token);
            seen.addAll(page.items());
            sizes.add(page.items().size());
            token = page.nextPageToken();
            assertThat(sizes).as("pages so far").hasSizeLessThan(100);
        } while (token != null);
        for (int i = 0; i < sizes.size() - 1; i++) {
            assertThat(sizes.get(i)).as("page %d of %s", i + 1, sizes).isEqualTo(PAGE);
        }
        assertThat(sizes).hasSize(Math.max(1, (seen.size() + PAGE - 1) / PAGE));
        return seen;
    }

    static Stream<Arguments> defaults() {
        return Stream.of(Arguments.of(Permission.NO_PERMISSIONS), Arguments.of(Permission.READ));
    }

    @ParameterizedTest(name = "{0} by default")
    @MethodSource("defaults")
    void latest_versions_answer_for_a_readable_model_and_refuse_the_others(Permission byDefault) throws Exception {
        Keel keel = keel(byDefault);
        for (int i = 0; i < RESOURCES; i++) {
            String model = String.format("vis-model-%02d", i);
            HttpResponse<String> rest = send(keel, keel.readerToken(), "GET", "/api/v1/models/" + model + "/latest-versions",
                    null);
            HttpResponse<String> mlflow = send(keel, keel.readerToken(), "POST",
                    "/api/2.0/mlflow/registered-models/get-latest-versions", "{\"name\":\"" + model + "\"}");
            if (keel.readableModels().contains(model)) {
                assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
                assertThat(mlflow.statusCode()).as(mlflow.body()).isEqualTo(200);
                long newest = i % 4 == 0 ? 2 : 1;
                assertThat(JSON.readTree(rest.body()).at("/versions/0/version").asLong()).isEqualTo(newest);
                assertThat(JSON.readTree(mlflow.body()).at("/model_versions/0/version").asText()).isEqualTo(Long.toString(newest));
            } else {
                assertThat(rest.statusCode()).as(rest.body()).isEqualTo(403);
                assertThat(mlflow.statusCode()).as(mlflow.body()).isEqualTo(403);
                assertThat(JSON.readTree(mlflow.body()).path("error_code").asText()).isEqualTo("PERMISSION_DENIED");
            }
        }
    }

    // the searches, one per resource and transport

    private static Page<String> restExperiments(Keel keel, String token, String filter, int maxResults, String pageToken) {
        JsonNode body = get(keel, token, "/api/v1/experiments", filter, maxResults, pageToken);
        return page(body, "items", item -> item.path("experiment_id").asText());
    }

    private static Page<String> mlflowExperiments(Keel keel, String token, String filter, int maxResults, String pageToken) {
        ObjectNode request = JSON.createObjectNode().put("max_results", maxResults);
        if (filter != null) {
            request.put("filter", filter);
        }
        if (pageToken != null) {
            request.put("page_token", pageToken);
        }
        JsonNode body = ok(send(keel, token, "POST", "/api/2.0/mlflow/experiments/search", request.toString()));
        return page(body, "experiments", item -> item.path("experiment_id").asText());
    }

    private static Page<String> sdkExperiments(Keel keel, String token, String filter, int maxResults, String pageToken) {
        Page<dev.keel.api.tracking.Experiment> page = KeelClient.connect(keel.uri(), token).tracking()
                .searchExperiments(READER, new ExperimentSearch(filter, ViewType.ACTIVE_ONLY, maxResults, List.of(), pageToken));
        return new Page<>(page.items().stream().map(dev.keel.api.tracking.Experiment::experimentId).toList(), page.nextPageToken());
    }

    private static Page<String> restModels(Keel keel, String token, String filter, int maxResults, String pageToken) {
        JsonNode body = get(keel, token, "/api/v1/models", filter, maxResults, pageToken);
        return page(body, "items", item -> item.path("name").asText());
    }

    private static Page<String> mlflowModels(Keel keel, String token, String filter, int maxResults, String pageToken) {
        JsonNode body = get(keel, token, "/api/2.0/mlflow/registered-models/search", filter, maxResults, pageToken);
        return page(body, "registered_models", item -> item.path("name").asText());
    }

    private static Page<String> sdkModels(Keel keel, String token, String filter, int maxResults, String pageToken) {
        var page = KeelClient.connect(keel.uri(), token).registry()
                .searchRegisteredModels(READER, new RegisteredModelSearch(filter, maxResults, List.of(), pageToken));
        return new Page<>(page.items().stream().map(dev.keel.api.registry.RegisteredModel::name).toList(), page.nextPageToken());
    }

    private static Page<String> restVersions(Keel keel, String token, String filter, int maxResults, String pageToken) {
        JsonNode body = get(keel, token, "/api/v1/model-versions", filter, maxResults, pageToken);
        return page(body, "items", item -> item.path("name").asText() + "/" + item.path("version").asText());
    }

    private static Page<String> mlflowVersions(Keel keel, String token, String filter, int maxResults, String pageToken) {
        JsonNode body = get(keel, token, "/api/2.0/mlflow/model-versions/search", filter, maxResults, pageToken);
        return page(body, "model_versions", item -> item.path("name").asText() + "/" + item.path("version").asText());
    }

    private static Page<String> sdkVersions(Keel keel, String token, String filter, int maxResults, String pageToken) {
        var page = KeelClient.connect(keel.uri(), token).registry()
                .searchModelVersions(READER, new ModelVersionSearch(filter, maxResults, List.of(), pageToken));
        return new Page<>(page.items().stream().map(v -> v.name() + "/" + v.version()).toList(), page.nextPageToken());
    }

    /** A model version's id is name/version; its visibility is its model's. */
    private static String modelOf(String id) {
        int slash = id.indexOf('/');
        return slash < 0 ? id : id.substring(0, slash);
    }

    private static JsonNode get(Keel keel, String token, String path, String filter, int maxResults, String pageToken) {
        StringBuilder query = new StringBuilder(path).append("?max_results=").append(maxResults);
        if (filter != null) {
            query.append("&filter=").append(URLEncoder.encode(filter, StandardCharsets.UTF_8));
        }
        if (pageToken != null) {
            query.append("&page_token=").append(URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
        }
        return ok(send(keel, token, "GET", query.toString(), null));
    }

    private static Page<String> page(JsonNode body, String field, java.util.function.Function<JsonNode, String> id) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : body.path(field)) {
            items.add(id.apply(item));
        }
        String next = body.path("next_page_token").asText(null);
        return new Page<>(items, next == null || next.isEmpty() ? null : next);
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(Keel keel, String token, String method, String path, String body) {
        return Deployment.send(HttpRequest.newBuilder(keel.uri().resolve(path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }
}
