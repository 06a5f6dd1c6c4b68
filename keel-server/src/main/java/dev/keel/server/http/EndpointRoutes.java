package dev.keel.server.http;

import dev.keel.api.http.EndpointBodies;
import dev.keel.api.http.EndpointBodies.EndpointBody;
import dev.keel.api.http.EndpointBodies.EndpointList;
import dev.keel.api.http.EndpointBodies.ShadowBody;
import dev.keel.api.http.EndpointBodies.ShadowUpdateBody;
import dev.keel.api.http.RolloutBodies.ReasonBody;
import dev.keel.api.http.RolloutBodies.RolloutBody;
import dev.keel.api.http.RolloutBodies.RolloutList;
import dev.keel.api.http.RolloutBodies.TotalsList;
import dev.keel.api.serving.ComparedMetric;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.serving.VariantComparison;
import dev.keel.core.KeelException;

import java.util.List;

import static dev.keel.api.http.EndpointApi.*;

/**
 * Endpoints and their rollouts ({@link dev.keel.api.http.EndpointApi}): parse, call
 * {@link EndpointService}, render. Permissions (READ to look, USE on every served model to
 * change), versions and rollout states are the service's; inference through an endpoint
 * ({@code POST /api/v1/endpoints/{name}/predict}) is {@code InferenceRoutes}'.
 */
public record EndpointRoutes(EndpointService endpoints) {

    public List<Route> routes(RouteBinder bind) {
        return List.of(
                bind.answer(CREATE, x -> EndpointBody.of(endpoints.createEndpoint(x.actor(), x.body().toRequest()))),
                bind.answer(LIST, x -> EndpointList.of(endpoints.listEndpoints(x.actor()))),
                bind.answer(GET, x -> EndpointBody.of(endpoints.getEndpoint(x.actor(), x.path("name")))),
                bind.perform(DELETE, x -> endpoints.deleteEndpoint(x.actor(), x.path("name"))),
                bind.answer(UPDATE_POLICY, x -> EndpointBody.of(endpoints.updatePolicy(x.actor(),
                        x.path("name"), x.body().toUpdate()))),
                bind.answer(SET_SHADOW, x -> {
                    String name = x.path("name");
                    ShadowUpdateBody body = x.body();
                    long version = EndpointBodies.expectedVersion("expected_version", body.expectedVersion());
                    return EndpointBody.of(endpoints.updateShadow(x.actor(), name, version,
                            new ShadowBody(body.variant(), body.percent()).toShadow("shadow")));
                }),
                bind.answer(REMOVE_SHADOW, x -> EndpointBody.of(endpoints.updateShadow(x.actor(),
                        x.path("name"), expectedVersion(x), null))),
                bind.answer(SWITCH, x -> EndpointBody.of(endpoints.switchTo(x.actor(), x.path("name"),
                        x.body().variant()))),
                bind.answer(START_CANARY, x -> RolloutBody.of(endpoints.startCanary(x.actor(), x.path("name"),
                        x.body().toRequest()))),
                bind.answer(PROMOTE, x -> RolloutBody.of(endpoints.promote(x.actor(), x.path("name")))),
                bind.answer(ABORT, x -> RolloutBody.of(endpoints.abort(x.actor(), x.path("name"), reason(x)))),
                bind.answer(PAUSE, x -> RolloutBody.of(endpoints.pause(x.actor(), x.path("name"), reason(x)))),
                bind.answer(RESUME, x -> RolloutBody.of(endpoints.resume(x.actor(), x.path("name")))),
                bind.answer(ROLLOUT, x -> RolloutBody.of(endpoints.getRollout(x.actor(), x.path("name")))),
                bind.answer(ROLLOUTS, x -> RolloutList.of(endpoints.listRollouts(x.actor(), x.path("name")))),
                bind.answer(TOTALS, x -> TotalsList.of(endpoints.variantTotals(x.actor(), x.path("name")))),
                bind.answer(COMPARE, this::compare));
    }

    private VariantComparison compare(Exchange<Void> x) {
        String name = x.path("name");
        String a = required(x, "a");
        String b = required(x, "b");
        String metric = x.given("metric");
        ComparedMetric parsed = metric == null ? ComparedMetric.ERROR_RATE : ComparedMetric.parse("metric", metric);
        return endpoints.compareVariants(x.actor(), name, a, b, parsed);
    }

    private static String required(Exchange<Void> x, String parameter) {
        String value = x.given(parameter);
        if (value == null) {
            throw KeelException.invalid("missing value for required parameter '" + parameter + "'");
        }
        return value;
    }

    private static long expectedVersion(Exchange<Void> x) {
        String text = x.given("expected_version");
        if (text == null) {
            return EndpointBodies.expectedVersion("expected_version", null);
        }
        try {
            return EndpointBodies.expectedVersion("expected_version", Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw KeelException.invalid("'expected_version' must be a positive integer (got '"
                    + (text.length() <= 64 ? text : text.substring(0, 64) + "…") + "')");
        }
    }

    /** The reason of an abort or pause; the request may come with no body at all. */
    private static String reason(Exchange<ReasonBody> x) {
        ReasonBody body = x.optionalBody();
        return body == null ? null : body.reason();
    }
}
