package dev.keel.server;

import dev.keel.api.access.AccessService;
import dev.keel.api.access.ApiToken;
import dev.keel.api.access.Grant;
import dev.keel.api.access.IssuedToken;
import dev.keel.api.access.User;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.client.KeelClient;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.store.TestDatabases.Kind;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Users, tokens and grants through the SDK against a server with authentication on: an admin
 * creates a user and their token, the user signs in with it, grants on what they created, and
 * revokes their own token; the others' refusals arrive with the server's code and reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteAccessTest {
    private SignedInServer keel;
    private AccessService admin;

    @BeforeAll
    void start(@TempDir Path dir) {
        keel = SignedInServer.start(Kind.SQLITE, dir, Map.of("mike", Role.MEMBER));
        admin = keel.as(SignedInServer.ADMIN.name()).access();
    }

    @AfterAll
    void stop() {
        if (keel != null) {
            keel.close();
        }
    }

    private static void fails(ThrowingCallable call, ErrorCode code, String... inMessage) {
        var failure = assertThatThrownBy(call).isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(code));
        for (String text : inMessage) {
            failure.hasMessageContaining(text);
        }
    }

    @Test
    void an_admin_creates_a_user_and_a_token_the_user_signs_in_with() {
        User bob = admin.createUser(null, "bob", null, Role.MEMBER);
        assertThat(bob.name()).isEqualTo("bob");
        assertThat(bob.role()).isEqualTo(Role.MEMBER);
        assertThat(bob.hasPassword()).isFalse();
        assertThat(admin.listUsers(null)).isEqualTo(keel.platform.access().listUsers(SignedInServer.ADMIN))
                .extracting(User::name).contains("admin", "bob", "mike");
        assertThat(admin.createUser(null, "pat", "a long password", Role.VIEWER).hasPassword()).isTrue();

        IssuedToken issued = admin.createToken(null, "bob", "ci", null);
        assertThat(issued.secret()).startsWith("keel_");
        assertThat(issued.token().userName()).isEqualTo("bob");
        KeelClient asBob = KeelClient.connect(keel.server.uri(), issued.secret());
        assertThat(asBob.access().listTokens(null, null)).extracting(ApiToken::tokenId)
                .containsExactly(issued.token().tokenId());
        assertThat(admin.listTokens(null, "bob")).extracting(ApiToken::description).containsExactly("ci");

        IssuedToken own = asBob.access().createToken(null, null, "laptop", System.currentTimeMillis() + 86_400_000L);
        assertThat(own.token().userName()).isEqualTo("bob");
        asBob.access().revokeToken(null, issued.token().tokenId());
        fails(() -> asBob.access().listTokens(null, null), ErrorCode.UNAUTHENTICATED, "sign in");
        KeelClient stillBob = KeelClient.connect(keel.server.uri(), own.secret());
        assertThat(stillBob.access().listTokens(null, null)).filteredOn(token -> token.revokedAt() != null)
                .extracting(ApiToken::tokenId).containsExactly(issued.token().tokenId());
    }

    @Test
    void the_creator_of_a_model_grants_and_revokes_permissions_on_it() {
        KeelClient asMike = keel.as("mike");
        asMike.registry().createRegisteredModel(null, NewRegisteredModel.named("churn"));
        admin.createUser(null, "carol", null, Role.MEMBER);
        Resource churn = Resource.model("churn");

        Grant granted = asMike.access().grant(null, churn, "carol", Permission.EDIT);

        assertThat(granted).isEqualTo(new Grant(churn, "carol", Permission.EDIT));
        assertThat(asMike.access().grants(null, churn)).isEqualTo(keel.platform.access().grants(SignedInServer.ADMIN, churn))
                .contains(new Grant(churn, "carol", Permission.EDIT), new Grant(churn, "mike", Permission.MANAGE));
        asMike.access().revoke(null, churn, "carol");
        assertThat(asMike.access().grants(null, churn)).extracting(Grant::userName).containsExactly("mike");
        fails(() -> asMike.access().revoke(null, churn, "carol"), ErrorCode.RESOURCE_DOES_NOT_EXIST, "carol");
        fails(() -> asMike.access().grant(null, churn, "nobody", Permission.READ), ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "nobody");
    }

    @Test
    void what_only_an_admin_may_do_is_refused_to_a_member_with_the_reason() {
        AccessService mike = keel.as("mike").access();

        fails(() -> mike.listUsers(null), ErrorCode.PERMISSION_DENIED, "only an admin may list users");
        fails(() -> mike.createUser(null, "eve", null, Role.ADMIN), ErrorCode.PERMISSION_DENIED, "only an admin");
        fails(() -> mike.createToken(null, "admin", null, null), ErrorCode.PERMISSION_DENIED, "another user");
        fails(() -> mike.listTokens(null, "admin"), ErrorCode.PERMISSION_DENIED, "another user");
        fails(() -> mike.grant(null, Resource.model("not-mine"), "mike", Permission.MANAGE),
                ErrorCode.PERMISSION_DENIED, "needs MANAGE");
        assertThat(keel.platform.access().user("eve")).isEmpty();
    }

    @Test
    void bad_values_are_refused_naming_the_field() {
        fails(() -> admin.createUser(null, "a b", null, Role.MEMBER), ErrorCode.INVALID_PARAMETER_VALUE, "name");
        fails(() -> admin.createUser(null, "x".repeat(300), null, Role.MEMBER), ErrorCode.INVALID_PARAMETER_VALUE, "'name'");
        fails(() -> admin.createUser(null, "shorty", "short", Role.MEMBER), ErrorCode.INVALID_PARAMETER_VALUE, "'password'");
        fails(() -> admin.createToken(null, null, "old", 1L), ErrorCode.INVALID_PARAMETER_VALUE, "'expires_at'");
        fails(() -> admin.createToken(null, null, "d".repeat(300), null), ErrorCode.INVALID_PARAMETER_VALUE, "'description'");
        fails(() -> admin.revokeToken(null, "0000000000000000"), ErrorCode.RESOURCE_DOES_NOT_EXIST, "0000000000000000");
        fails(() -> admin.grant(null, Resource.experiment("424242"), "no such user", Permission.READ),
                ErrorCode.RESOURCE_DOES_NOT_EXIST, "no such user");
    }
}
